import { splitCreated } from './created-ranges';

const contains = (range: { gte?: number; lt?: number }, created: number) =>
  (range.gte === undefined || created >= range.gte) && (range.lt === undefined || created < range.lt);

describe('splitCreated', () => {
  it('cuts [oldest, newest] into equal, adjacent ranges, open at both ends', () => {
    expect(splitCreated(1_000, 1_399, 4)).toEqual([{ lt: 1_100 }, { gte: 1_100, lt: 1_200 }, { gte: 1_200, lt: 1_300 }, { gte: 1_300 }]);
  });

  it('puts every second, including ones outside the estimate, in exactly one range', () => {
    const ranges = splitCreated(1_700_000_000, 1_730_000_000, 4);
    for (const created of [0, 1_699_999_999, 1_700_000_000, 1_707_500_000, 1_715_000_000, 1_730_000_000, 2_000_000_000]) {
      expect(ranges.filter((range) => contains(range, created))).toHaveLength(1);
    }
  });

  it('uses one unbounded range when there is nothing to split', () => {
    expect(splitCreated(5, 5, 4)).toEqual([{}]);
    expect(splitCreated(5, 6, 4)).toEqual([{ lt: 6 }, { gte: 6 }]);
    expect(splitCreated(1, 100, 1)).toEqual([{}]);
  });
});
