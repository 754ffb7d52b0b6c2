import type Stripe from 'stripe';
import type { RunningSandbox } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { DAY, openSandbox } from './sandbox-fixture';
import { eventually } from '../../support/eventually';

describe('sandbox: lists, created filters and idempotency', () => {
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  const start = Date.UTC(2026, 2, 1) / 1000;
  const created: Stripe.Customer[] = [];

  beforeAll(async () => {
    ({ sandbox, stripe } = await openSandbox());
    // Customers on a test clock advanced a day between each: distinct, known `created` times.
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    for (let i = 0; i < 7; i += 1) {
      created.push(await stripe.customers.create({ name: `Client ${i}`, test_clock: clock.id }));
      await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: start + (i + 1) * DAY });
      await eventually(
        () => stripe.testHelpers.testClocks.retrieve(clock.id),
        (c) => c.status === 'ready',
        `test clock ${clock.id} to be ready`,
      );
    }
  });
  afterAll(() => sandbox.stop());

  it('lists newest first in pages with has_more, starting_after and ending_before', async () => {
    const first = await stripe.customers.list({ limit: 3 });
    expect(first.object).toBe('list');
    expect(first.url).toBe('/v1/customers');
    expect(first.has_more).toBe(true);
    expect(first.data.map((c) => c.name)).toEqual(['Client 6', 'Client 5', 'Client 4']);
    const second = await stripe.customers.list({ limit: 3, starting_after: first.data[2].id });
    expect(second.data.map((c) => c.name)).toEqual(['Client 3', 'Client 2', 'Client 1']);
    const back = await stripe.customers.list({ limit: 2, ending_before: second.data[0].id });
    expect(back.data.map((c) => c.name)).toEqual(['Client 5', 'Client 4']);
    const all: string[] = [];
    for await (const customer of stripe.customers.list({ limit: 2 })) all.push(customer.name as string);
    expect(all).toEqual(created.map((c) => c.name).reverse());
  });

  it('filters by created ranges', async () => {
    const range = await stripe.customers.list({ created: { gte: start + DAY, lt: start + 4 * DAY } });
    expect(range.data.map((c) => c.name)).toEqual(['Client 3', 'Client 2', 'Client 1']);
    const exact = await stripe.customers.list({ created: start + 2 * DAY });
    expect(exact.data.map((c) => c.name)).toEqual(['Client 2']);
    const events = await stripe.events.list({ type: 'customer.created', created: { gt: start + 5 * DAY } });
    expect(events.data.map((e) => (e.data.object as Stripe.Customer).name)).toEqual(['Client 6']);
  });

  it('replays an idempotent request and refuses the key with other params', async () => {
    const raw = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url, maxNetworkRetries: 0 });
    const first = await raw.customers.create({ name: 'Once' }, { idempotencyKey: 'key-1' });
    const again = await raw.customers.create({ name: 'Once' }, { idempotencyKey: 'key-1' });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await raw.customers.list({ limit: 100 })).data.filter((c) => c.name === 'Once')).toHaveLength(1);
    await expect(raw.customers.create({ name: 'Other' }, { idempotencyKey: 'key-1' })).rejects.toMatchObject({
      type: 'StripeIdempotencyError',
      statusCode: 400,
    });
  });

  it('refuses an unknown cursor', async () => {
    await expect(stripe.customers.list({ starting_after: 'cus_nope' })).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});
