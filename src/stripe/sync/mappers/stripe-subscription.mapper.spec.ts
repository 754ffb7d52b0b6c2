import type Stripe from 'stripe';
import { stripeFixtures } from '../../../../test/support/stripe-fixtures';
import { mapSubscription } from './stripe-subscription.mapper';

/** Stripe's own example subscription (stripe/openapi fixtures3.json). */
const fixture = stripeFixtures().subscription as unknown as Stripe.Subscription;

const observedAt = new Date('2026-11-20T12:00:00Z');

describe('mapSubscription', () => {
  it("maps Stripe's fixture: client, status, cancellation, items with prices and the first item's period", () => {
    const row = mapSubscription(fixture, 'acct_1', observedAt);
    expect(row).toMatchObject({
      id: fixture.id,
      stripe_account_id: 'acct_1',
      client_id: 'cus_QXg1o8vcGmoR32',
      status: fixture.status,
      collection_method: 'charge_automatically',
      currency: 'usd',
      cancel_at: new Date(1234567890 * 1000),
      canceled_at: new Date(1234567890 * 1000),
      price_ids: ['price_1PgafmB7WZ01zgkW6dKueIc5'],
      observed_at: observedAt,
      stripe_created_at: new Date(1234567890 * 1000),
    });
    expect(row.items).toEqual([
      {
        id: 'si_QXhVnC2h0Jczwc',
        price_id: 'price_1PgafmB7WZ01zgkW6dKueIc5',
        product_id: 'prod_QXg1hqf4jFNsqG',
        quantity: 1,
        unit_amount: 2000,
        currency: 'usd',
        interval: 'month',
        interval_count: 1,
      },
    ]);
    expect(row.current_period_start).toEqual(new Date(fixture.items.data[0].current_period_start * 1000));
    expect(row.current_period_end).toEqual(new Date(fixture.items.data[0].current_period_end * 1000));
  });

  it('flattens pause_collection and keeps the schedule id, expanded or not', () => {
    const paused = {
      ...fixture,
      pause_collection: { behavior: 'void', resumes_at: 1_800_000_000 },
      schedule: { id: 'sub_sched_1' },
    } as unknown as Stripe.Subscription;
    const row = mapSubscription(paused, 'acct_1', observedAt);
    expect(row.pause_behavior).toBe('void');
    expect(row.pause_resumes_at).toEqual(new Date(1_800_000_000 * 1000));
    expect(row.schedule_id).toBe('sub_sched_1');

    const collecting = mapSubscription({ ...fixture, pause_collection: null, schedule: 'sub_sched_2' } as Stripe.Subscription, 'acct_1', observedAt);
    expect(collecting.pause_behavior).toBeNull();
    expect(collecting.pause_resumes_at).toBeNull();
    expect(collecting.schedule_id).toBe('sub_sched_2');
  });

  it('refuses a subscription without a customer', () => {
    expect(() => mapSubscription({ ...fixture, customer: null } as unknown as Stripe.Subscription, 'acct_1', observedAt)).toThrow('customer is missing');
  });
});
