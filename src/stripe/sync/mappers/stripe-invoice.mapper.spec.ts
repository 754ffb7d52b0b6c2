import type Stripe from 'stripe';
import { stripeFixtures } from '../../../../test/support/stripe-fixtures';
import { daysPastDue } from '../../../common/time';
import { effectiveDueDate, InvoiceRow, mapInvoice } from './stripe-invoice.mapper';

/** Stripe's own example invoice (stripe/openapi fixtures3.json): a draft, charge_automatically. */
const fixture = stripeFixtures().invoice as unknown as Stripe.Invoice;

const DAY = 86_400;
const HOUR = 3_600;
/** 2026-10-01T00:00:00Z in unix seconds: the due date of the variations below. */
const T = Date.UTC(2026, 9, 1) / 1000;
const at = (seconds: number) => new Date(seconds * 1000);

type Transitions = Partial<Stripe.Invoice.StatusTransitions>;

/** Stripe's fixture with some fields changed; status transitions merged over the fixture's (all null). */
function invoice(changes: Partial<Omit<Stripe.Invoice, 'status_transitions'>> & { status_transitions?: Transitions }): Stripe.Invoice {
  return { ...fixture, ...changes, status_transitions: { ...fixture.status_transitions, ...changes.status_transitions } } as Stripe.Invoice;
}

/** A send_invoice invoice created 30 days and finalized 29 days before it is due at T. */
const sentInvoice = (changes: Parameters<typeof invoice>[0] = {}) =>
  invoice({
    collection_method: 'send_invoice',
    status: 'open',
    created: T - 30 * DAY,
    due_date: T,
    ...changes,
    status_transitions: { finalized_at: T - 29 * DAY, ...changes.status_transitions },
  });

/** A send_invoice invoice due at T, paid at `paidAt`. */
const paidSentInvoice = (paidAt: number) => sentInvoice({ status: 'paid', amount_paid: 1000, amount_remaining: 0, status_transitions: { paid_at: paidAt } });

describe('mapInvoice', () => {
  it("maps Stripe's fixture exactly: a draft charge_automatically invoice has no due date yet (its due_date field is ignored)", () => {
    expect(mapInvoice(fixture, 'acct_1')).toEqual({
      id: 'in_1Pgc6tB7WZ01zgkWu9fdqL6I',
      stripe_account_id: 'acct_1',
      client_id: 'cus_QXg1o8vcGmoR32',
      number: null,
      status: 'draft',
      collection_method: 'charge_automatically',
      currency: 'usd',
      subtotal: 1000,
      total: 1000,
      total_discount: 0,
      amount_due: 1000,
      amount_paid: 0,
      amount_remaining: 1000,
      subscription_id: 'subscription',
      attempt_count: 0,
      stripe_created_at: at(1234567890),
      finalized_at: null,
      due_at: null,
      paid_at: null,
      voided_at: null,
      marked_uncollectible_at: null,
      metadata: {},
    });
  });

  describe('effective due date (architecture.md "Words": "Due date")', () => {
    it('send_invoice: due_date, not the finalization or the creation date', () => {
      const row = mapInvoice(sentInvoice(), 'acct_1');
      expect(row.due_at).toEqual(at(T));
      expect(row.finalized_at).toEqual(at(T - 29 * DAY));
      expect(row.stripe_created_at).toEqual(at(T - 30 * DAY));
    });

    it('charge_automatically: status_transitions.finalized_at, even when due_date is set', () => {
      const row = mapInvoice(invoice({ status: 'open', due_date: T - 40 * DAY, created: T - HOUR, status_transitions: { finalized_at: T } }), 'acct_1');
      expect(row.collection_method).toBe('charge_automatically');
      expect(row.due_at).toEqual(at(T));
    });

    it('send_invoice without a due_date falls back to the finalization moment; a draft has none', () => {
      expect(mapInvoice(sentInvoice({ due_date: null }), 'acct_1').due_at).toEqual(at(T - 29 * DAY));
      expect(mapInvoice(invoice({ collection_method: 'send_invoice', due_date: null }), 'acct_1').due_at).toBeNull();
    });

    it('effectiveDueDate answers the same on the bare fields', () => {
      expect(
        effectiveDueDate({ collection_method: 'send_invoice', due_date: T, status_transitions: { ...fixture.status_transitions, finalized_at: T - DAY } }),
      ).toEqual(at(T));
      expect(
        effectiveDueDate({
          collection_method: 'charge_automatically',
          due_date: T,
          status_transitions: { ...fixture.status_transitions, finalized_at: T - DAY },
        }),
      ).toEqual(at(T - DAY));
      expect(
        effectiveDueDate({ collection_method: 'charge_automatically', due_date: T, status_transitions: { ...fixture.status_transitions, finalized_at: null } }),
      ).toBeNull();
    });
  });

  // Days late is computed once, by common/time; the row carries the two dates it needs.
  const daysLateOf = (row: InvoiceRow) => (row.due_at && row.paid_at ? daysPastDue(row.due_at, row.paid_at) : null);

  describe('days late when paid (architecture.md "Words": "Days late": whole days from the due date, floored, 0 if not late, no grace)', () => {
    it.each([
      { paid: 'before the due date', paidAt: T - 2 * DAY, days: 0 },
      { paid: 'exactly at the due date', paidAt: T, days: 0 },
      { paid: 'one second late', paidAt: T + 1, days: 0 },
      { paid: 'one second short of a whole day late', paidAt: T + DAY - 1, days: 0 },
      { paid: 'exactly one day late', paidAt: T + DAY, days: 1 },
      { paid: '3 days 23:59:59 late', paidAt: T + 4 * DAY - 1, days: 3 },
      { paid: '45 days and 12 hours late', paidAt: T + 45 * DAY + 12 * HOUR, days: 45 },
    ])('send_invoice paid $paid → $days', ({ paidAt, days }) => {
      const row = mapInvoice(paidSentInvoice(paidAt), 'acct_1');
      expect(row.paid_at).toEqual(at(paidAt));
      expect(daysLateOf(row)).toBe(days);
    });

    it('is measured from the due date, never from the invoice date', () => {
      // Created 30 days before it is due, paid 2 days after the due date: 2, not 32.
      expect(daysLateOf(mapInvoice(paidSentInvoice(T + 2 * DAY + HOUR), 'acct_1'))).toBe(2);
    });

    it('subtracts no grace days: 1 day late is 1, whatever the policy grace', () => {
      expect(daysLateOf(mapInvoice(paidSentInvoice(T + DAY + 6 * HOUR), 'acct_1'))).toBe(1);
    });

    it('charge_automatically: counted from finalization, not from due_date', () => {
      const paid = invoice({ status: 'paid', due_date: T - 20 * DAY, status_transitions: { finalized_at: T, paid_at: T + 36 * HOUR } });
      const row = mapInvoice(paid, 'acct_1');
      expect(row).toMatchObject({ due_at: at(T), paid_at: at(T + 36 * HOUR) });
      expect(daysLateOf(row)).toBe(1);
      const chargedAtOnce = invoice({ status: 'paid', status_transitions: { finalized_at: T, paid_at: T + 60 } });
      expect(daysLateOf(mapInvoice(chargedAtOnce, 'acct_1'))).toBe(0);
    });

    it('an invoice marked uncollectible and paid later counts from its due date too', () => {
      const row = mapInvoice(
        sentInvoice({ status: 'paid', status_transitions: { marked_uncollectible_at: T + 60 * DAY, paid_at: T + 75 * DAY + HOUR } }),
        'acct_1',
      );
      expect(row).toMatchObject({ marked_uncollectible_at: at(T + 60 * DAY), paid_at: at(T + 75 * DAY + HOUR) });
      expect(daysLateOf(row)).toBe(75);
    });

    it.each(['open', 'uncollectible', 'void'] as const)('an invoice in status %s has no payment date', (status) => {
      const row = mapInvoice(
        sentInvoice({
          status,
          status_transitions: { voided_at: status === 'void' ? T + DAY : null, marked_uncollectible_at: status === 'uncollectible' ? T + 2 * DAY : null },
        }),
        'acct_1',
      );
      expect(row.status).toBe(status);
      expect(row.paid_at).toBeNull();
      expect(row.voided_at).toEqual(status === 'void' ? at(T + DAY) : null);
      expect(row.marked_uncollectible_at).toEqual(status === 'uncollectible' ? at(T + 2 * DAY) : null);
    });
  });

  describe('total_discount', () => {
    it('sums total_discount_amounts', () => {
      const discounted = invoice({
        subtotal: 10_000,
        total: 8_250,
        total_discount_amounts: [
          { amount: 1_500, discount: 'di_coupon' },
          { amount: 250, discount: 'di_promo' },
        ],
      });
      expect(mapInvoice(discounted, 'acct_1')).toMatchObject({ subtotal: 10_000, total: 8_250, total_discount: 1_750 });
    });

    it('is 0 when Stripe sends an empty list or null', () => {
      expect(mapInvoice(invoice({ total_discount_amounts: [] }), 'acct_1').total_discount).toBe(0);
      expect(mapInvoice(invoice({ total_discount_amounts: null }), 'acct_1').total_discount).toBe(0);
    });
  });

  it('takes ids from expanded customer and subscription objects; no parent means no subscription', () => {
    const expanded = invoice({
      customer: { id: 'cus_expanded', object: 'customer' } as Stripe.Customer,
      parent: {
        type: 'subscription_details',
        quote_details: null,
        subscription_details: { metadata: null, subscription: { id: 'sub_expanded' } as Stripe.Subscription },
      },
      number: 'INV-0042',
      metadata: { project: 'website' },
    });
    expect(mapInvoice(expanded, 'acct_1')).toMatchObject({
      client_id: 'cus_expanded',
      subscription_id: 'sub_expanded',
      number: 'INV-0042',
      metadata: { project: 'website' },
    });
    expect(mapInvoice(invoice({ parent: null }), 'acct_1').subscription_id).toBeNull();
  });

  it('refuses an invoice without a customer', () => {
    expect(() => mapInvoice(invoice({ customer: null }), 'acct_1')).toThrow('Stripe invoice in_1Pgc6tB7WZ01zgkWu9fdqL6I: customer is missing');
  });

  it('keeps amounts up to 2^53 − 1 and refuses discounts that only add up beyond it', () => {
    expect(mapInvoice(invoice({ total: Number.MAX_SAFE_INTEGER }), 'acct_1').total).toBe(Number.MAX_SAFE_INTEGER);
    const discount = (amount: number) => ({ amount, discount: 'di_1' }) as unknown as Stripe.Invoice.TotalDiscountAmount;
    expect(() => mapInvoice(invoice({ total_discount_amounts: [discount(2 ** 52), discount(2 ** 52)] }), 'acct_1')).toThrow(
      'Stripe invoice in_1Pgc6tB7WZ01zgkWu9fdqL6I: total_discount_amounts (sum) must be an integer amount in minor units (got 9007199254740992)',
    );
  });
});
