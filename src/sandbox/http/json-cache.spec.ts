import { JsonCache } from './json-cache';

describe('JsonCache', () => {
  it('stitches list bodies that parse to the same JSON as the list', () => {
    const cache = new JsonCache();
    const list = {
      object: 'list',
      data: [
        { id: 'a', n: 1 },
        { id: 'b', n: [2] },
      ],
      has_more: true,
      url: '/v1/x',
    };
    expect(JSON.parse(cache.body(list).join(''))).toEqual(list);
    expect(JSON.parse(cache.body({ object: 'list', data: [], has_more: false, url: '/v1/x' }).join('')).data).toEqual([]);
  });

  it('serves a changed object only after invalidation', () => {
    const cache = new JsonCache();
    const item = { id: 'a', status: 'open' };
    expect(cache.body(item).join('')).toContain('open');
    item.status = 'paid';
    cache.invalidate();
    expect(cache.body(item).join('')).toContain('paid');
  });
});
