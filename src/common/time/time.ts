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

/** The UTC calendar date of an instant, as a count of days since 1970-01-01 (what `iso` dates name). */
export const utcDateNumber = (date: Date): number => Math.floor(date.getTime() / DAY_MS);

/**
 * Calendar dates apart, in UTC: 2 from 1 Jun 23:00 to 3 Jun 01:00 (negative when `to` is earlier).
 * For what is stated as a date, like a predicted payment date: a payment date is judged by the day
 * it falls on, whatever the hour of the due moment, so the same invoice is "paid 2 days after its
 * due date" whether the due moment was midnight or the evening. Days late stay whole 24-hour days.
 */
export const datesApart = (from: Date, to: Date): number => utcDateNumber(to) - utcDateNumber(from);
