import type Stripe from 'stripe';
import { fromUnix, idOf } from './unix-time';

export interface InvoiceRow {
  id: string;
  stripe_account_id: string;
  client_id: string;
  number: string | null;
  status: string;
  collection_method: string;
  currency: string;
  subtotal: number;
  total: number;
  total_discount: number;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  subscription_id: string | null;
  attempt_count: number;
  stripe_created_at: Date;
  finalized_at: Date | null;
  due_at: Date | null;
  paid_at: Date | null;
  voided_at: Date | null;
  marked_uncollectible_at: Date | null;
  days_late_when_paid: number | null;
  metadata: Record<string, string>;
}

const DAY_MS = 86_400_000;

/**
 * The effective due date (DESIGN.md): `due_date` for send_invoice, the moment of
 * finalization for charge_automatically (and for a send_invoice without a due date).
 */
export function effectiveDueDate(invoice: Pick<Stripe.Invoice, 'collection_method' | 'due_date' | 'status_transitions'>): Date | null {
  if (invoice.collection_method === 'send_invoice' && invoice.due_date) return fromUnix(invoice.due_date);
  return fromUnix(invoice.status_transitions?.finalized_at);
}

/** Whole days between due and paid, floored, never negative; null when unpaid or without due date. */
export function daysLateWhenPaid(due: Date | null, paidAt: Date | null): number | null {
  if (!due || !paidAt) return null;
  return Math.max(0, Math.floor((paidAt.getTime() - due.getTime()) / DAY_MS));
}

/** A Stripe invoice (API 2026-10-28.endive) as a ledger row, derived columns computed once here. */
export function mapInvoice(invoice: Stripe.Invoice, accountId: string): InvoiceRow {
  const customerId = idOf(invoice.customer);
  if (!customerId) throw new Error(`invoice ${invoice.id} has no customer`);
  const due = effectiveDueDate(invoice);
  const paidAt = fromUnix(invoice.status_transitions?.paid_at);
  return {
    id: invoice.id as string,
    stripe_account_id: accountId,
    client_id: customerId,
    number: invoice.number ?? null,
    status: invoice.status ?? 'draft',
    collection_method: invoice.collection_method,
    currency: invoice.currency,
    subtotal: invoice.subtotal,
    total: invoice.total,
    total_discount: (invoice.total_discount_amounts ?? []).reduce((sum, discount) => sum + discount.amount, 0),
    amount_due: invoice.amount_due,
    amount_paid: invoice.amount_paid,
    amount_remaining: invoice.amount_remaining,
    subscription_id: idOf(invoice.parent?.subscription_details?.subscription ?? null),
    attempt_count: invoice.attempt_count ?? 0,
    stripe_created_at: fromUnix(invoice.created) as Date,
    finalized_at: fromUnix(invoice.status_transitions?.finalized_at),
    due_at: due,
    paid_at: paidAt,
    voided_at: fromUnix(invoice.status_transitions?.voided_at),
    marked_uncollectible_at: fromUnix(invoice.status_transitions?.marked_uncollectible_at),
    days_late_when_paid: invoice.status === 'paid' ? daysLateWhenPaid(due, paidAt) : null,
    metadata: invoice.metadata ?? {},
  };
}
