import type Stripe from 'stripe';
import { requireAmount, requireId, requireRef, requireUnix, withoutNul } from './row-guard';
import { fromUnix, idOf } from './unix-time';

export interface CreditNoteRow {
  id: string;
  stripe_account_id: string;
  client_id: string;
  invoice_id: string;
  number: string | null;
  status: string;
  type: string;
  reason: string | null;
  currency: string;
  amount: number;
  reduces_owed: boolean;
  stripe_created_at: Date;
  voided_at: Date | null;
  metadata: Record<string, string>;
}

/** Reasons that mean the client got money off, not a correction (architecture.md "Words": "Discount event"). */
const DISCOUNT_REASONS = new Set(['order_change', 'product_unsatisfactory']);

export function mapCreditNote(note: Stripe.CreditNote, accountId: string): CreditNoteRow {
  const id = requireId('credit_note', note.id);
  return withoutNul('credit_note', id, {
    id,
    stripe_account_id: accountId,
    client_id: requireRef('credit_note', id, 'customer', idOf(note.customer)),
    invoice_id: requireRef('credit_note', id, 'invoice', idOf(note.invoice)),
    number: note.number ?? null,
    status: note.status,
    type: note.type,
    reason: note.reason ?? null,
    currency: note.currency,
    amount: requireAmount('credit_note', id, 'amount', note.amount),
    reduces_owed: note.status === 'issued' && (note.reason === null || DISCOUNT_REASONS.has(note.reason)),
    stripe_created_at: fromUnix(requireUnix('credit_note', id, 'created', note.created)) as Date,
    voided_at: fromUnix(note.voided_at),
    metadata: note.metadata ?? {},
  });
}
