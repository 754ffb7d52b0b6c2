import { Collection, CursorNotFound } from './collection';

interface Item {
  id: string;
  created: number;
  customer: string;
}

const build = (): Collection<Item> => {
  const c = new Collection<Item>([(item) => item.customer], ['customer']);
  // inserted out of order on purpose: backdated history must still list newest first
  for (const created of [5, 1, 3, 2, 4, 3]) c.insert({ id: `x${c.size}`, created, customer: created % 2 ? 'odd' : 'even' });
  return c;
};
const ids = (items: Item[]): string[] => items.map((item) => item.id);

describe('Collection.list', () => {
  it('lists newest first, ties in insertion order reversed, and pages with starting_after', () => {
    const c = build();
    const first = c.list({ limit: 2 });
    expect(ids(first.data)).toEqual(['x0', 'x4']);
    expect(first.hasMore).toBe(true);
    const second = c.list({ limit: 2, startingAfter: 'x4' });
    expect(ids(second.data)).toEqual(['x5', 'x2']);
    const last = c.list({ limit: 5, startingAfter: 'x2' });
    expect(ids(last.data)).toEqual(['x3', 'x1']);
    expect(last.hasMore).toBe(false);
  });

  it('returns the page just newer than the cursor with ending_before', () => {
    const page = build().list({ limit: 2, endingBefore: 'x3' });
    expect(ids(page.data)).toEqual(['x5', 'x2']);
    expect(page.hasMore).toBe(true);
  });

  it('applies created ranges, secondary indexes and filters', () => {
    const c = build();
    expect(ids(c.list({ limit: 10, created: { gte: 2, lt: 4 } }).data)).toEqual(['x5', 'x2', 'x3']);
    expect(ids(c.list({ limit: 10, created: { gt: 3, lte: 5 } }).data)).toEqual(['x0', 'x4']);
    expect(ids(c.list({ limit: 10, index: { field: 'customer', value: 'odd' } }).data)).toEqual(['x0', 'x5', 'x2', 'x1']);
    expect(ids(c.list({ limit: 10, filter: (item) => item.created > 3 }).data)).toEqual(['x0', 'x4']);
  });

  it('raises for an unknown cursor', () => {
    expect(() => build().list({ limit: 1, startingAfter: 'nope' })).toThrow(CursorNotFound);
  });
});
