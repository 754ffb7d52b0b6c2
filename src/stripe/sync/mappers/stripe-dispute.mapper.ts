import type Stripe from 'stripe';
import { requireAmount, requireId, requireUnix, withoutNul } from './row-guard';
import { fromUnix, idOf } from './unix-time';

export interface DisputeRow {
  id: string;
  stripe_account_id: string;
  client_id: string | null;
  invoice_id: string | null;
  charge_id: string | null;
  payment_intent_id: string | null;
  currency: string;
  amount: number;
  reason: string;
  status: string;
  stripe_created_at: Date;
}

/** The client comes from the disputed charge (list disputes with `expand[]=data.charge`). */
export function mapDispute(dispute: Stripe.Dispute, accountId: string, invoiceId: string | null = null): DisputeRow {
  const id = requireId('dispute', dispute.id);
  const charge = typeof dispute.charge === 'object' ? dispute.charge : null;
  return withoutNul('dispute', id, {
    id,
    stripe_account_id: accountId,
    client_id: charge ? idOf(charge.customer) : null,
    invoice_id: invoiceId,
    charge_id: idOf(dispute.charge),
    payment_intent_id: idOf(dispute.payment_intent),
    currency: dispute.currency,
    amount: requireAmount('dispute', id, 'amount', dispute.amount),
    reason: dispute.reason,
    status: dispute.status,
    stripe_created_at: fromUnix(requireUnix('dispute', id, 'created', dispute.created)) as Date,
  });
}
