import type Stripe from 'stripe';
import { stripeFixtures } from '../../../../test/support/stripe-fixtures';
import { mapCustomer } from './stripe-customer.mapper';

/** Stripe's own example customer and deleted customer (stripe/openapi fixtures3.json). */
const fixtures = stripeFixtures();
const fixture = fixtures.customer as unknown as Stripe.Customer;
const deletedFixture = fixtures.deleted_customer as unknown as Stripe.DeletedCustomer;

describe('mapCustomer', () => {
  it("maps Stripe's fixture exactly", () => {
    expect(mapCustomer(fixture, 'acct_1')).toEqual({
      id: 'cus_QXg1o8vcGmoR32',
      stripe_account_id: 'acct_1',
      livemode: false,
      name: null,
      email: null,
      currency: 'usd',
      metadata: {},
      deleted: false,
      stripe_created_at: new Date(1234567890 * 1000),
    });
  });

  it('keeps name, email, currency and livemode as Stripe sends them', () => {
    const named = { ...fixture, name: 'Acme Studio', email: 'billing@acme.test', currency: 'eur', livemode: true } as Stripe.Customer;
    expect(mapCustomer(named, 'acct_2')).toMatchObject({
      stripe_account_id: 'acct_2',
      name: 'Acme Studio',
      email: 'billing@acme.test',
      currency: 'eur',
      livemode: true,
    });
    expect(mapCustomer({ ...fixture, currency: null } as Stripe.Customer, 'acct_1').currency).toBeNull();
  });

  it('passes metadata through verbatim: payrisk_exempt is the source of the exempt column (generated in Postgres)', () => {
    // The ledger's `clients.exempt` is GENERATED from metadata->>'payrisk_exempt' = 'true'
    // (migrations/1764050000000-ledger.ts): the mapper must neither drop nor rewrite the key.
    const metadata = { payrisk_exempt: 'true', payrisk_work_status: 'paused', crm_id: '42' };
    expect(mapCustomer({ ...fixture, metadata } as Stripe.Customer, 'acct_1').metadata).toEqual({
      payrisk_exempt: 'true',
      payrisk_work_status: 'paused',
      crm_id: '42',
    });
    expect(mapCustomer({ ...fixture, metadata: { payrisk_exempt: 'false' } } as Stripe.Customer, 'acct_1').metadata).toEqual({ payrisk_exempt: 'false' });
  });

  it("maps Stripe's deleted customer as deleted, with nothing else known (no exemption metadata)", () => {
    expect(mapCustomer(deletedFixture, 'acct_1')).toEqual({
      id: 'cus_QXg1o8vcGmoR32',
      stripe_account_id: 'acct_1',
      livemode: false,
      name: null,
      email: null,
      currency: null,
      metadata: {},
      deleted: true,
      stripe_created_at: new Date(0),
    });
  });

  it('is not deleted when Stripe sends deleted: false or no deleted key', () => {
    expect(mapCustomer({ ...fixture, deleted: false } as unknown as Stripe.Customer, 'acct_1').deleted).toBe(false);
    expect('deleted' in fixture).toBe(false);
    expect(mapCustomer(fixture, 'acct_1').deleted).toBe(false);
  });
});
