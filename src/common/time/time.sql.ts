/**
 * The SQL mirrors of `./time.ts`, for queries that must apply the same rule inside PostgreSQL.
 * Each takes SQL expressions (columns or parameters) of type timestamptz. Intervals are counted
 * in epoch seconds (a day = 86400 s), never with `interval '1 day'` or `::date`, which follow the
 * session `TimeZone` and its daylight-saving days. `time.sql.test.ts` (test/integration/common)
 * checks that both sides agree on the edge cases.
 */

/** `wholeDaysBetween(from, to)`. */
export const sqlWholeDaysBetween = (from: string, to: string): string => `floor(extract(epoch FROM (${to}) - (${from})) / 86400)::int`;

/** `daysPastDue(dueAt, now)`. */
export const sqlDaysPastDue = (dueAt: string, now: string): string => `greatest(0, ${sqlWholeDaysBetween(dueAt, now)})`;

/** `isPastDue(dueAt, now)`, written so an index on the due column serves it. */
export const sqlIsPastDue = (dueAt: string, now: string): string => `(${dueAt}) <= (${now})::timestamptz - interval '24 hours'`;

/** `daysPastDue(dueAt, now) > days` (`days` an integer expression), index-friendly like `sqlIsPastDue`. */
export const sqlIsMoreDaysPastDueThan = (dueAt: string, now: string, days: string): string =>
  `(${dueAt}) <= (${now})::timestamptz - make_interval(hours => 24 * ((${days})::int + 1))`;

/** `datesApart(from, to)`: UTC calendar dates from epoch seconds, so the session `TimeZone` plays no part. */
export const sqlDatesApart = (from: string, to: string): string =>
  `(floor(extract(epoch FROM (${to})) / 86400) - floor(extract(epoch FROM (${from})) / 86400))::int`;
