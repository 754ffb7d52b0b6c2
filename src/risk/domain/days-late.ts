import { daysPastDue } from '../../common/time';
import type { InvoiceFact } from './client-history';

export { wholeDaysBetween } from '../../common/time';

/** An invoice that was due by `now` and still counts (void and draft invoices never do). */
export function isDue(invoice: InvoiceFact, now: Date): boolean {
  return invoice.dueAt !== null && invoice.dueAt <= now && (invoice.status === 'open' || invoice.status === 'paid' || invoice.status === 'uncollectible');
}

/**
 * Days late (architecture.md "Words"): paid → paid_at − due; open or uncollectible past due → now − due;
 * floored to whole days; 0 when not late.
 */
export function daysLate(invoice: InvoiceFact, now: Date): number {
  if (!invoice.dueAt) return 0;
  const end = invoice.status === 'paid' ? invoice.paidAt : invoice.status === 'open' || invoice.status === 'uncollectible' ? now : null;
  if (!end) return 0;
  return daysPastDue(invoice.dueAt, end);
}

export const isLate = (invoice: InvoiceFact, now: Date, graceDays: number): boolean => daysLate(invoice, now) > graceDays;
