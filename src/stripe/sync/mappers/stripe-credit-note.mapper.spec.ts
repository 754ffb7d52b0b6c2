import type Stripe from 'stripe';
import { stripeFixtures } from '../../../../test/support/stripe-fixtures';
import { mapCreditNote } from './stripe-credit-note.mapper';

/** Stripe's own example credit note (stripe/openapi fixtures3.json): issued, pre_payment, no reason. */
const fixture = stripeFixtures().credit_note as unknown as Stripe.CreditNote;

const T = Date.UTC(2026, 9, 1) / 1000;
const note = (changes: Partial<Stripe.CreditNote>) => ({ ...fixture, ...changes }) as Stripe.CreditNote;

const TYPES = ['pre_payment', 'post_payment', 'mixed'] as const;
/** architecture.md "Words": "Discount event": a credit note with one of these reasons, or none, reduces what the client owes. */
const REASONS = [
  { reason: null, discount: true },
  { reason: 'order_change', discount: true },
  { reason: 'product_unsatisfactory', discount: true },
  { reason: 'duplicate', discount: false },
  { reason: 'fraudulent', discount: false },
] as const;
const CASES = TYPES.flatMap((type) => REASONS.map(({ reason, discount }) => ({ type, reason, discount })));

describe('mapCreditNote', () => {
  it("maps Stripe's fixture exactly (issued, no reason: reduces what is owed)", () => {
    expect(mapCreditNote(fixture, 'acct_1')).toEqual({
      id: 'cn_1Pgc75B7WZ01zgkWJMPt5riP',
      stripe_account_id: 'acct_1',
      client_id: 'cus_QXg1o8vcGmoR32',
      invoice_id: 'in_1Pgc75B7WZ01zgkWYv4iMwt7',
      number: 'ABCD-1234-CN-01',
      status: 'issued',
      type: 'pre_payment',
      reason: null,
      currency: 'usd',
      amount: 1690,
      reduces_owed: true,
      stripe_created_at: new Date(1234567890 * 1000),
      voided_at: new Date(1234567890 * 1000),
      metadata: {},
    });
  });

  it.each(CASES)('an issued $type note with reason $reason: reduces_owed $discount', ({ type, reason, discount }) => {
    const row = mapCreditNote(note({ type, reason, status: 'issued', voided_at: null }), 'acct_1');
    expect(row).toMatchObject({ type, reason, status: 'issued', reduces_owed: discount, voided_at: null });
  });

  it.each(CASES)('a void $type note with reason $reason never reduces what is owed', ({ type, reason }) => {
    const row = mapCreditNote(note({ type, reason, status: 'void', voided_at: T }), 'acct_1');
    expect(row).toMatchObject({ type, reason, status: 'void', reduces_owed: false, voided_at: new Date(T * 1000) });
  });

  it('takes ids from expanded customer and invoice objects', () => {
    const expanded = note({
      customer: { id: 'cus_expanded', object: 'customer' } as Stripe.Customer,
      invoice: { id: 'in_expanded', object: 'invoice' } as Stripe.Invoice,
    });
    expect(mapCreditNote(expanded, 'acct_1')).toMatchObject({ client_id: 'cus_expanded', invoice_id: 'in_expanded' });
  });

  it('keeps metadata, so our own late-fee waivers (payrisk_kind) can be left out downstream', () => {
    // A waiver is an order_change note, so the mapper marks it like any discount; the risk
    // loader and the discounts report exclude it by this metadata.
    const waiver = note({ reason: 'order_change', voided_at: null, metadata: { payrisk_kind: 'late_fee_waiver', payrisk_action_id: 'act_1' } });
    expect(mapCreditNote(waiver, 'acct_1')).toMatchObject({ reduces_owed: true, metadata: { payrisk_kind: 'late_fee_waiver', payrisk_action_id: 'act_1' } });
  });
});
