import { DAY_MS } from '../../../common/time';
import type { ClientHistory, InvoiceFact } from '../client-history';

// Builders the risk domain's specs share (pure: no database; test/support/ledger-facts.ts inserts rows instead).

/** An invoice relative to a spec's `now`, in days; every field not given takes the plain default. */
export interface InvoiceSpec {
  due: number;
  /** Days after the due date it was paid; null = not paid. */
  paid?: number | null;
  status?: InvoiceFact['status'];
  currency?: string;
  total?: number;
  subtotal?: number;
  discount?: number;
  remaining?: number;
  created?: number;
  voided?: number;
  attempts?: number;
}

/** `inv(id, spec)` for invoices dated from `now`: paid on the due date unless told, 1 000.00 EUR, created 30 days before due. */
export function invoicesFrom(now: Date): (id: string, spec: InvoiceSpec) => InvoiceFact {
  const day = (offset: number) => new Date(now.getTime() + offset * DAY_MS);
  return (id, spec) => {
    const paid = spec.paid === undefined ? 0 : spec.paid;
    const status = spec.status ?? (paid === null ? 'open' : 'paid');
    const total = spec.total ?? 100_000;
    const dueAt = day(spec.due);
    return {
      id,
      number: id.toUpperCase(),
      status,
      currency: spec.currency ?? 'eur',
      subtotal: spec.subtotal ?? total + (spec.discount ?? 0),
      total,
      totalDiscount: spec.discount ?? 0,
      amountRemaining: spec.remaining ?? (status === 'open' || status === 'uncollectible' ? total : 0),
      attemptCount: spec.attempts ?? (status === 'paid' ? 1 : 0),
      createdAt: day(spec.created ?? spec.due - 30),
      dueAt,
      paidAt: status === 'paid' && paid !== null ? new Date(dueAt.getTime() + paid * DAY_MS) : null,
      voidedAt: spec.voided === undefined ? null : day(spec.voided),
    };
  };
}

/** `history(invoices, extra)` of one client: no credit notes, disputes or discount requests unless given. */
export function historiesOf(clientId: string): (invoices: InvoiceFact[], extra?: Partial<ClientHistory>) => ClientHistory {
  return (invoices, extra = {}) => ({ clientId, invoices, creditNotes: [], disputes: [], discountRequests: [], ...extra });
}
