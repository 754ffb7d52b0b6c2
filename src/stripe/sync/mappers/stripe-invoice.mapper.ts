import type Stripe from 'stripe';
import { requireAmount, requireId, requireRef, requireUnix, withoutNul } from './row-guard';
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
  metadata: Record<string, string>;
}

/**
 * The effective due date (architecture.md "Words"): `due_date` for send_invoice, the moment of
 * finalization for charge_automatically (and for a send_invoice without a due date).
 */
export function effectiveDueDate(invoice: Pick<Stripe.Invoice, 'collection_method' | 'due_date' | 'status_transitions'>): Date | null {
  if (invoice.collection_method === 'send_invoice' && invoice.due_date) return fromUnix(invoice.due_date);
  return fromUnix(invoice.status_transitions?.finalized_at);
}

/**
 * A Stripe invoice (API 2026-10-28.endive) as a ledger row, derived columns computed once here.
 * Throws InvalidStripeObjectError for an object that cannot be stored (see row-guard).
 */
export function mapInvoice(invoice: Stripe.Invoice, accountId: string): InvoiceRow {
  const id = requireId('invoice', invoice.id);
  const customerId = requireRef('invoice', id, 'customer', idOf(invoice.customer));
  const amount = (field: 'amount_due' | 'amount_paid' | 'amount_remaining') => requireAmount('invoice', id, field, invoice[field]);
  const due = effectiveDueDate(invoice);
  const paidAt = fromUnix(invoice.status_transitions?.paid_at);
  return withoutNul('invoice', id, {
    id,
    stripe_account_id: accountId,
    client_id: customerId,
    number: invoice.number ?? null,
    status: invoice.status ?? 'draft',
    collection_method: invoice.collection_method,
    currency: invoice.currency,
    // A negative line (a credit) can take the totals below zero; the amounts owed and paid cannot.
    subtotal: requireAmount('invoice', id, 'subtotal', invoice.subtotal, true),
    total: requireAmount('invoice', id, 'total', invoice.total, true),
    // Each discount is a safe integer; their sum must be one too (migration SafeAmounts refuses it otherwise).
    total_discount: requireAmount(
      'invoice',
      id,
      'total_discount_amounts (sum)',
      (invoice.total_discount_amounts ?? []).reduce(
        (sum, discount, i) => sum + requireAmount('invoice', id, `total_discount_amounts[${i}].amount`, discount.amount),
        0,
      ),
    ),
    amount_due: amount('amount_due'),
    amount_paid: amount('amount_paid'),
    amount_remaining: amount('amount_remaining'),
    subscription_id: idOf(invoice.parent?.subscription_details?.subscription ?? null),
    attempt_count: invoice.attempt_count ?? 0,
    stripe_created_at: fromUnix(requireUnix('invoice', id, 'created', invoice.created)) as Date,
    finalized_at: fromUnix(invoice.status_transitions?.finalized_at),
    due_at: due,
    paid_at: paidAt,
    voided_at: fromUnix(invoice.status_transitions?.voided_at),
    marked_uncollectible_at: fromUnix(invoice.status_transitions?.marked_uncollectible_at),
    metadata: invoice.metadata ?? {},
  });
}
