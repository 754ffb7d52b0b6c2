import { z } from 'zod';

/** The days payrisk accepts from outside: far enough for any ledger, near enough for PostgreSQL and Date maths. */
export const MIN_DAY = '2000-01-01';
export const MAX_DAY = '2100-12-31';

const realDay = (value: string) => {
  const parsed = new Date(`${value}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March; a real calendar date round-trips.
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
};

/** A calendar day `YYYY-MM-DD` (UTC) between 2000-01-01 and 2100-12-31. */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine(realDay, 'expected a real calendar date as YYYY-MM-DD')
  .refine((value) => value >= MIN_DAY && value <= MAX_DAY, `expected a date between ${MIN_DAY} and ${MAX_DAY}`)
  .meta({ description: `YYYY-MM-DD, ${MIN_DAY}..${MAX_DAY}`, example: '2026-03-31' });

/**
 * An ISO timestamp (`2026-03-31` or `2026-03-31T14:00:00Z`) within `pastDays` before and
 * `futureDays` after the server's now (checked against the clock in the service, see `withinDays`).
 */
export const isoInstant = z
  .string()
  .max(40, 'expected an ISO date or timestamp')
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/, 'expected an ISO date or timestamp like 2026-03-31 or 2026-03-31T14:00:00Z')
  .refine((value) => !Number.isNaN(Date.parse(value)) && realDay(value.slice(0, 10)), 'expected a real date')
  .refine((value) => value.slice(0, 10) >= MIN_DAY && value.slice(0, 10) <= MAX_DAY, `expected a date between ${MIN_DAY} and ${MAX_DAY}`);
