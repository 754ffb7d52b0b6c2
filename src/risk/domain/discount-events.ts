import { money } from '../../common/money';
import type { ClientHistory, Evidence, InvoiceFact } from './client-history';
import { wholeDaysBetween } from './days-late';
import { iso } from './plain-words';

export interface DiscountEvent extends Evidence {
  at: Date;
}

/**
 * The four kinds of discount event (architecture.md "Words"): a coupon/discount on an invoice, a credit
 * note that reduces what is owed, a void re-issued for less within the window, and a
 * request the owner logged by hand.
 */
export function discountEvents(history: ClientHistory, reissueWindowDays: number): DiscountEvent[] {
  const events: DiscountEvent[] = [];
  for (const invoice of history.invoices) {
    if (invoice.totalDiscount > 0 && invoice.status !== 'void' && invoice.status !== 'draft') {
      events.push({
        kind: 'coupon',
        id: invoice.id,
        amount: money(invoice.totalDiscount, invoice.currency),
        date: iso(invoice.createdAt),
        at: invoice.createdAt,
        detail: invoice.number ?? undefined,
      });
    }
  }
  // Most clients have no credit note and no void: skip the lookups they would need.
  const numbers = history.creditNotes.length === 0 ? undefined : new Map(history.invoices.map((invoice) => [invoice.id, invoice.number]));
  for (const note of history.creditNotes) {
    if (!note.reducesOwed) continue;
    const number = numbers?.get(note.invoiceId);
    events.push({
      kind: 'credit_note',
      id: note.id,
      amount: money(note.amount, note.currency),
      date: iso(note.createdAt),
      at: note.createdAt,
      detail: number ? `credit note on invoice ${number}` : 'credit note',
    });
  }
  for (const voided of history.invoices) {
    if (voided.status !== 'void' || !voided.voidedAt) continue;
    const voidedAt = voided.voidedAt;
    // The first cheaper invoice issued after the void: the earliest by creation, whatever order the history came in.
    const reissue = history.invoices
      .filter(
        (other) =>
          other.id !== voided.id &&
          other.status !== 'void' &&
          other.status !== 'draft' &&
          other.currency === voided.currency &&
          other.createdAt >= voided.createdAt &&
          wholeDaysBetween(voidedAt, other.createdAt) <= reissueWindowDays &&
          wholeDaysBetween(voidedAt, other.createdAt) >= -1 &&
          other.total < voided.total,
      )
      .reduce<InvoiceFact | undefined>((first, other) => (!first || other.createdAt < first.createdAt ? other : first), undefined);
    if (reissue) {
      events.push({
        kind: 'void_reissue',
        id: reissue.id,
        amount: money(voided.total - reissue.total, voided.currency),
        date: iso(reissue.createdAt),
        at: reissue.createdAt,
        detail: `invoice ${voided.number ?? 'without a number'} voided, re-issued as ${reissue.number ?? 'a new invoice'} for less`,
      });
    }
  }
  for (const request of history.discountRequests) {
    events.push({
      kind: 'discount_request',
      id: request.id,
      amount: money(request.amount, request.currency),
      date: iso(request.requestedAt),
      at: request.requestedAt,
      detail: request.note ?? undefined,
    });
  }
  return events.length > 1 ? events.sort((a, b) => a.at.getTime() - b.at.getTime()) : events;
}
