import type Stripe from 'stripe';
import { requireAmount, requireId, requireRef, requireUnix, withoutNul } from './row-guard';
import { fromUnix, idOf } from './unix-time';

export interface InvoicePaymentRow {
  id: string;
  stripe_account_id: string;
  invoice_id: string;
  /** Not on the Stripe object: the writer fills it in from the invoice when it is known. */
  client_id: string | null;
  status: string;
  currency: string;
  amount_paid: number;
  amount_requested: number;
  paid_at: Date | null;
  stripe_created_at: Date;
}

/** One payment towards an invoice (partial payments are several); lets reports say what was open as of a date. */
export function mapInvoicePayment(payment: Stripe.InvoicePayment, accountId: string, clientId: string | null = null): InvoicePaymentRow {
  const id = requireId('invoice_payment', payment.id);
  const invoiceId = requireRef('invoice_payment', id, 'invoice', idOf(payment.invoice as string | { id: string } | null));
  const expandedInvoice = typeof payment.invoice === 'object' && payment.invoice !== null ? (payment.invoice as Stripe.Invoice) : null;
  return withoutNul('invoice_payment', id, {
    id,
    stripe_account_id: accountId,
    invoice_id: invoiceId,
    client_id: clientId ?? (expandedInvoice ? idOf(expandedInvoice.customer) : null),
    status: payment.status,
    currency: payment.currency,
    amount_paid: requireAmount('invoice_payment', id, 'amount_paid', payment.amount_paid ?? 0),
    amount_requested: requireAmount('invoice_payment', id, 'amount_requested', payment.amount_requested ?? 0),
    paid_at: fromUnix(payment.status_transitions?.paid_at),
    stripe_created_at: fromUnix(requireUnix('invoice_payment', id, 'created', payment.created)) as Date,
  });
}
