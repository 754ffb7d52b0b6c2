import type Stripe from 'stripe';
import { stripeFixtures } from '../../../../test/support/stripe-fixtures';
import { mapDispute } from './stripe-dispute.mapper';

/** Stripe's own example dispute and charge (stripe/openapi fixtures3.json); the dispute's charge is not expanded. */
const fixtures = stripeFixtures();
const fixture = fixtures.dispute as unknown as Stripe.Dispute;
const charge = fixtures.charge as unknown as Stripe.Charge;

/** The dispute as listed with `expand[]=data.charge`, its charge made by `customer`. */
const withCharge = (customer: Stripe.Charge['customer']) => ({ ...fixture, charge: { ...charge, customer } }) as Stripe.Dispute;

describe('mapDispute', () => {
  it("maps Stripe's fixture exactly: without the charge expanded the client is unknown", () => {
    expect(mapDispute(fixture, 'acct_1')).toEqual({
      id: 'dp_1Pgc71B7WZ01zgkWMevJiAUx',
      stripe_account_id: 'acct_1',
      client_id: null,
      invoice_id: null,
      charge_id: 'ch_1PgafuB7WZ01zgkWXYmPNZs8',
      payment_intent_id: null,
      currency: 'usd',
      amount: 1000,
      reason: 'general',
      status: 'warning_needs_response',
      stripe_created_at: new Date(1234567890 * 1000),
    });
  });

  it("takes the client from the expanded charge's customer, as an id or an expanded object", () => {
    expect(mapDispute(withCharge('cus_payer'), 'acct_1')).toMatchObject({ client_id: 'cus_payer', charge_id: 'ch_1PgafuB7WZ01zgkWXYmPNZs8' });
    expect(mapDispute(withCharge({ id: 'cus_expanded', object: 'customer' } as Stripe.Customer), 'acct_1').client_id).toBe('cus_expanded');
  });

  it("has no client when the expanded charge has no customer (Stripe's charge fixture)", () => {
    expect(charge.customer).toBeNull();
    expect(mapDispute({ ...fixture, charge } as Stripe.Dispute, 'acct_1')).toMatchObject({ client_id: null, charge_id: 'ch_1PgafuB7WZ01zgkWXYmPNZs8' });
  });

  it('keeps the invoice it is given, and none by default', () => {
    expect(mapDispute(withCharge('cus_payer'), 'acct_1', 'in_disputed').invoice_id).toBe('in_disputed');
    expect(mapDispute(withCharge('cus_payer'), 'acct_1').invoice_id).toBeNull();
  });

  it('takes the payment intent id, expanded or not, and the outcome status', () => {
    expect(mapDispute({ ...fixture, payment_intent: 'pi_1', status: 'lost' } as Stripe.Dispute, 'acct_1')).toMatchObject({
      payment_intent_id: 'pi_1',
      status: 'lost',
    });
    expect(mapDispute({ ...fixture, payment_intent: { id: 'pi_2', object: 'payment_intent' } } as Stripe.Dispute, 'acct_1').payment_intent_id).toBe('pi_2');
  });
});
