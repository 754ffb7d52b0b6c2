import { addDays, DAY_MS, datesApart, daysPastDue, isPastDue, utcDateNumber, wholeDaysBetween } from './time';

const DUE = new Date('2026-03-31T00:00:00.000Z');
const at = (iso: string) => new Date(iso);

describe('day arithmetic', () => {
  it('counts whole 24-hour days, rounded down, negative before', () => {
    expect(wholeDaysBetween(DUE, DUE)).toBe(0);
    expect(wholeDaysBetween(DUE, at('2026-03-31T23:59:59.999Z'))).toBe(0);
    expect(wholeDaysBetween(DUE, at('2026-04-01T00:00:00.000Z'))).toBe(1);
    expect(wholeDaysBetween(DUE, at('2026-04-10T12:00:00.000Z'))).toBe(10);
    expect(wholeDaysBetween(DUE, at('2026-03-30T12:00:00.000Z'))).toBe(-1);
    expect(addDays(DUE, 2).getTime() - DUE.getTime()).toBe(2 * DAY_MS);
  });

  it('counts days, not calendar dates: 23:00 to 01:00 the next day is 0 days', () => {
    expect(wholeDaysBetween(at('2026-03-31T23:00:00.000Z'), at('2026-04-01T01:00:00.000Z'))).toBe(0);
  });

  it('counts UTC calendar dates apart when asked for dates: 23:00 to 01:00 the next day is 1, the same date 0', () => {
    expect(datesApart(at('2026-03-31T23:00:00.000Z'), at('2026-04-01T01:00:00.000Z'))).toBe(1);
    expect(datesApart(at('2026-03-31T00:00:00.000Z'), at('2026-03-31T23:59:59.999Z'))).toBe(0);
    expect(datesApart(at('2026-04-03T09:00:00.000Z'), at('2026-03-31T18:00:00.000Z'))).toBe(-3);
    // A local time is its UTC date: 00:30 in Berlin on 1 Apr is 31 Mar in UTC.
    expect(datesApart(at('2026-03-31T12:00:00.000Z'), at('2026-04-01T00:30:00+02:00'))).toBe(0);
    expect(utcDateNumber(at('1970-01-02T00:00:00.000Z'))).toBe(1);
  });

  it('is past due only a whole day after the due moment', () => {
    expect(daysPastDue(DUE, at('2026-03-30T00:00:00.000Z'))).toBe(0);
    expect(isPastDue(DUE, DUE)).toBe(false);
    expect(isPastDue(DUE, at('2026-03-31T18:00:00.000Z'))).toBe(false);
    expect(isPastDue(DUE, at('2026-03-31T23:59:59.999Z'))).toBe(false);
    expect(isPastDue(DUE, at('2026-04-01T00:00:00.000Z'))).toBe(true);
    expect(daysPastDue(DUE, at('2026-04-01T00:00:00.000Z'))).toBe(1);
  });

  it('ignores daylight-saving days: Europe moves its clocks on 2026-03-29, a day is still 24 hours', () => {
    expect(wholeDaysBetween(at('2026-03-28T12:00:00+01:00'), at('2026-03-29T12:00:00+02:00'))).toBe(0);
    expect(wholeDaysBetween(at('2026-03-28T12:00:00+01:00'), at('2026-03-29T13:00:00+02:00'))).toBe(1);
  });
});
