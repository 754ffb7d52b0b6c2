import { addInterval } from './period';

const ts = (iso: string): number => Date.parse(iso) / 1000;

describe('addInterval', () => {
  it('adds calendar months and clamps to the last day of a shorter month', () => {
    expect(addInterval(ts('2026-01-31T10:00:00Z'), 'month')).toBe(ts('2026-02-28T10:00:00Z'));
    expect(addInterval(ts('2026-03-15T00:00:00Z'), 'month', 2)).toBe(ts('2026-05-15T00:00:00Z'));
  });

  it('adds days, weeks and years', () => {
    expect(addInterval(ts('2026-01-01T00:00:00Z'), 'day', 3)).toBe(ts('2026-01-04T00:00:00Z'));
    expect(addInterval(ts('2026-01-01T00:00:00Z'), 'week')).toBe(ts('2026-01-08T00:00:00Z'));
    expect(addInterval(ts('2026-01-01T00:00:00Z'), 'year')).toBe(ts('2027-01-01T00:00:00Z'));
  });
});
