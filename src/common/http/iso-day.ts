import { z } from 'zod';

/** The days payrisk accepts from outside: far enough for any ledger, near enough for PostgreSQL and Date maths. */
export const MIN_DAY = '2000-01-01';
export const MAX_DAY = '2100-12-31';

const realDay = (value: string) => {
  const parsed = new Date(`${value}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March; a real calendar date round-trips.
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
};

/** The first problem with a day, in the order a reader fixes them: shape, calendar, range. */
function dayProblem(day: string): string | undefined {
  if (!realDay(day)) return 'expected a real calendar date';
  if (day < MIN_DAY || day > MAX_DAY) return `expected a date between ${MIN_DAY} and ${MAX_DAY}`;
  return undefined;
}

/** A calendar day `YYYY-MM-DD` (UTC) between 2000-01-01 and 2100-12-31. */
export const isoDay = z
  .string()
  .superRefine((value, ctx) => {
    const problem = /^\d{4}-\d{2}-\d{2}$/.test(value) ? dayProblem(value) : 'expected a date as YYYY-MM-DD';
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: `YYYY-MM-DD, ${MIN_DAY}..${MAX_DAY}`, example: '2026-03-31' });

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * An ISO date or timestamp (`2026-03-31`, `2026-03-31T14:00:00Z`) on a day in the same range;
 * how far from now it may be is the caller's rule (it knows the clock).
 */
export const isoInstant = z
  .string()
  .superRefine((value, ctx) => {
    const problem =
      value.length <= 40 && INSTANT.test(value) && !Number.isNaN(Date.parse(value))
        ? dayProblem(value.slice(0, 10))
        : 'expected an ISO date or timestamp like 2026-03-31 or 2026-03-31T14:00:00Z';
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: 'ISO date or timestamp', example: '2026-03-31T14:00:00Z' });
