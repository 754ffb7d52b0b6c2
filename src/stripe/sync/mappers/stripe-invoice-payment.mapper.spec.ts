import type Stripe from 'stripe';
import { stripeFixtures } from '../../../../test/support/stripe-fixtures';
import { mapInvoicePayment } from './stripe-invoice-payment.mapper';

/** Stripe's own example invoice payment (stripe/openapi fixtures3.json). */
const fixture = stripeFixtures().invoice_payment as unknown as Stripe.InvoicePayment;

describe('mapInvoicePayment', () => {
  it("maps Stripe's fixture; a null amount_paid is 0 and the client is left for the writer", () => {
    expect(mapInvoicePayment(fixture, 'acct_1')).toEqual({
      id: fixture.id,
      stripe_account_id: 'acct_1',
      invoice_id: 'invoice',
      client_id: null,
      status: fixture.status,
      currency: fixture.currency,
      amount_paid: 0,
      amount_requested: 1112626247,
      paid_at: null,
      stripe_created_at: new Date(1028554472 * 1000),
    });
  });

  it('takes the paid moment from status_transitions and the client from an expanded invoice', () => {
    const paid = {
      ...fixture,
      status: 'paid',
      amount_paid: 5000,
      amount_requested: 5000,
      invoice: { id: 'in_1', object: 'invoice', customer: 'cus_1' },
      status_transitions: { canceled_at: null, paid_at: 1_790_000_000 },
    } as unknown as Stripe.InvoicePayment;
    expect(mapInvoicePayment(paid, 'acct_1')).toMatchObject({
      invoice_id: 'in_1',
      client_id: 'cus_1',
      status: 'paid',
      amount_paid: 5000,
      paid_at: new Date(1_790_000_000 * 1000),
    });
    expect(mapInvoicePayment(paid, 'acct_1', 'cus_given').client_id).toBe('cus_given');
  });
});
