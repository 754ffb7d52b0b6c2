import { DAY_MS } from '../../common/time';

/** Dates and counts as the owner reads them in a sentence: "16 Nov", "16 Nov 2025", "3 invoices". */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "16 Nov" in the year of `now`, "16 Nov 2025" otherwise (UTC, like every date in the ledger). */
export function shortDate(date: Date, now: Date): string {
  const base = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
  return date.getUTCFullYear() === now.getUTCFullYear() ? base : `${base} ${date.getUTCFullYear()}`;
}

export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

const isoDays = new Map<number, string>();
/** "2026-11-16": the UTC calendar day. Memoised per day: detection writes hundreds of thousands of these per run. */
export function iso(date: Date): string {
  const dayNumber = Math.floor(date.getTime() / DAY_MS);
  let text = isoDays.get(dayNumber);
  if (text === undefined) {
    text = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
    if (isoDays.size > 100_000) isoDays.clear();
    isoDays.set(dayNumber, text);
  }
  return text;
}

/** An invoice as the owner knows it: its number, or "an invoice" when it has none. */
export const invoiceName = (number: string | null | undefined): string => (number ? `invoice ${number}` : 'an invoice without a number');
