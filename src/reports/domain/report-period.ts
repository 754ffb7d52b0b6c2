import { invalidInput } from '../../common/errors';
import { DAY_MS } from '../../common/time';

/** Calendar dates as `YYYY-MM-DD`, always read in UTC. */
export interface ReportPeriod {
  /** As things stood at the end of this day: later payments, voids and credit notes are ignored. */
  asOf: string;
  /** First and last day of the period (inclusive) for period reports (DSO, behaviour, fees, discounts). */
  from: string;
  to: string;
}

export interface ReportPeriodInput {
  asOf?: string;
  from?: string;
  to?: string;
}

/** "The last 90 days ending at as-of", both ends included. */
export const DEFAULT_PERIOD_DAYS = 90;

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March; a real calendar date round-trips.
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

export const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The first instant of a day in UTC, as an ISO timestamp for SQL parameters. */
export const startOfDay = (date: string): string => `${date}T00:00:00.000Z`;

/** Days from `from` to `to`, both included. */
export const daysInclusive = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

export const todayUtc = (now: Date): string => now.toISOString().slice(0, 10);

/**
 * Fills in the defaults a user expects: as-of today (UTC), the period the 90 days ending at
 * as-of. The period may not end after as-of: "what we knew then" cannot include later days.
 * `names` are how the caller spells the fields in its messages (`--as-of` on the command line).
 */
export function resolveReportPeriod(
  input: ReportPeriodInput,
  today: string,
  names: Record<keyof ReportPeriod, string> = { asOf: 'asOf', from: 'from', to: 'to' },
): ReportPeriod {
  for (const key of ['asOf', 'from', 'to'] as const) {
    const value = input[key];
    if (value !== undefined && !isIsoDate(value)) throw invalidInput(`${names[key]}: expected a date as YYYY-MM-DD (got "${value}")`, { field: key });
  }
  const asOf = input.asOf ?? today;
  const to = input.to ?? asOf;
  const from = input.from ?? addDays(to, -(DEFAULT_PERIOD_DAYS - 1));
  if (from > to) throw invalidInput(`${names.from} (${from}) is after ${names.to} (${to})`, { field: 'from' });
  if (to > asOf) throw invalidInput(`${names.to} (${to}) is after the as-of date (${asOf}); pass ${names.asOf} on or after the period's end`, { field: 'to' });
  return { asOf, from, to };
}

/** Timestamps the queries compare with: each day runs from its first instant to the next day's. */
export interface PeriodBounds {
  asOf: string;
  from: string;
  to: string;
  asOfEnd: string;
  fromStart: string;
  toEnd: string;
  periodDays: number;
  /** Start of the period's second half (for the days-to-pay trend); the first half gets the odd day. */
  secondHalfStart: string;
}

export function periodBounds(period: ReportPeriod): PeriodBounds {
  const periodDays = daysInclusive(period.from, period.to);
  return {
    ...period,
    asOfEnd: startOfDay(addDays(period.asOf, 1)),
    fromStart: startOfDay(period.from),
    toEnd: startOfDay(addDays(period.to, 1)),
    periodDays,
    secondHalfStart: startOfDay(addDays(period.from, Math.ceil(periodDays / 2))),
  };
}
