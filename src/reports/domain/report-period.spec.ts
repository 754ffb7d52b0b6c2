import { DomainError } from '../../common/errors';
import { addDays, daysInclusive, isIsoDate, periodBounds, resolveReportPeriod } from './report-period';

describe('report period', () => {
  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('25/11/2026')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
  });

  it('defaults to as-of today and the 90 days ending there', () => {
    expect(resolveReportPeriod({}, '2026-03-31')).toEqual({ asOf: '2026-03-31', from: '2026-01-01', to: '2026-03-31' });
    expect(daysInclusive('2026-01-01', '2026-03-31')).toBe(90);
  });

  it('ends the period at as-of unless told otherwise, and starts it 89 days before its end', () => {
    expect(resolveReportPeriod({ asOf: '2026-06-30', from: '2026-04-01' }, '2026-11-25')).toEqual({ asOf: '2026-06-30', from: '2026-04-01', to: '2026-06-30' });
    expect(resolveReportPeriod({ to: '2026-03-31' }, '2026-11-25')).toEqual({ asOf: '2026-11-25', from: '2026-01-01', to: '2026-03-31' });
  });

  it('rejects bad dates, reversed periods and periods ending after as-of, naming the field', () => {
    expect(() => resolveReportPeriod({ asOf: '2026-13-01' }, '2026-11-25')).toThrow('asOf: expected a date as YYYY-MM-DD (got "2026-13-01")');
    expect(() => resolveReportPeriod({ from: '2026-05-01', to: '2026-04-01' }, '2026-11-25')).toThrow('from (2026-05-01) is after to (2026-04-01)');
    expect(() => resolveReportPeriod({ asOf: '2026-03-31', to: '2026-04-30' }, '2026-11-25')).toThrow(/after the as-of date/);
    expect(() => resolveReportPeriod({ from: 'yesterday' }, '2026-11-25')).toThrow(DomainError);
    const flags = { asOf: '--as-of', from: '--from', to: '--to' };
    expect(() => resolveReportPeriod({ asOf: '2026-02-30' }, '2026-11-25', flags)).toThrow('--as-of: expected a date as YYYY-MM-DD (got "2026-02-30")');
    expect(() => resolveReportPeriod({ asOf: '2026-03-31', to: '2026-04-30' }, '2026-11-25', flags)).toThrow(
      '--to (2026-04-30) is after the as-of date (2026-03-31); pass --as-of on or after',
    );
  });

  it('turns days into UTC bounds: each day ends where the next begins', () => {
    const bounds = periodBounds({ asOf: '2026-06-30', from: '2026-01-01', to: '2026-03-31' });
    expect(bounds).toEqual(
      expect.objectContaining({
        asOfEnd: '2026-07-01T00:00:00.000Z',
        fromStart: '2026-01-01T00:00:00.000Z',
        toEnd: '2026-04-01T00:00:00.000Z',
        periodDays: 90,
        secondHalfStart: '2026-02-15T00:00:00.000Z',
      }),
    );
    expect(periodBounds({ asOf: '2026-01-03', from: '2026-01-01', to: '2026-01-03' }).secondHalfStart).toBe('2026-01-03T00:00:00.000Z');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });
});
