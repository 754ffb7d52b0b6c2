/**
 * Day arithmetic, the one definition (architecture.md "Words"). A day is 24 hours of UTC time: no
 * calendar, no time zone, no daylight-saving hour, so the same instants give the same counts
 * in every process and in PostgreSQL whatever its `TimeZone` (see `./time.sql.ts`).
 */

export const DAY_MS = 86_400_000;
/** Stripe's timestamps are unix seconds. */
export const DAY_SECONDS = 86_400;
export const HOUR_SECONDS = 3_600;

export const daysToMs = (count: number): number => count * DAY_MS;

export const addDays = (date: Date, count: number): Date => new Date(date.getTime() + count * DAY_MS);

/** Whole days from `from` to `to`, rounded down (negative when `to` is earlier). */
export const wholeDaysBetween = (from: Date, to: Date): number => Math.floor((to.getTime() - from.getTime()) / DAY_MS);

/**
 * Days past due: whole days from the due moment to `now`, rounded down; 0 on the due moment,
 * in the 24 hours after it and before it. Days late (architecture.md "Words") is this with `now` = the
 * payment for a paid invoice.
 */
export const daysPastDue = (dueAt: Date, now: Date): number => Math.max(0, wholeDaysBetween(dueAt, now));

/**
 * Past due = at least one whole day past due. One meaning everywhere (risk's arrears,
 * policies' pauses and fees, reports, emails): days are counted in whole days, so an invoice
 * is never "past due" while it is "0 days past due", and the client has the full 24 hours
 * after the due moment (a due date is a day, whatever its time of day) before anything counts.
 */
export const isPastDue = (dueAt: Date, now: Date): boolean => daysPastDue(dueAt, now) >= 1;
