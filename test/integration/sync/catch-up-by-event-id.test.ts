import type Stripe from 'stripe';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { StripeSyncService } from '../../../src/stripe/sync/stripe-sync.service';
import { eventually } from '../../support/eventually';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

const DAY = 86_400;

/**
 * On an account with test clocks, `created` is not monotonic: the clock's objects carry frozen
 * time, the clock's own events wall time. Catch-up reads by event id, so it finds every change.
 */
describe('catch-up by event id on a test-clocked account', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let sync: StripeSyncService;

  const stored = async (id: string) =>
    (await db.dataSource.query(`SELECT status, amount_remaining::int AS remaining, metadata FROM invoices WHERE id = $1`, [id]))[0] as
      { status: string; remaining: number; metadata: Record<string, string> } | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    sandbox = await startSandbox({ port: 0, seed: 'empty' });
    stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url });
    sync = new StripeSyncService(db.dataSource, stripe, sandbox.accountId, undefined, { logger: { log: () => undefined } });
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
    await db?.drop();
  });

  async function clockedInvoice(clock: string, customer: string, amount: number): Promise<Stripe.Invoice> {
    await stripe.invoiceItems.create({ customer, amount, currency: 'eur', description: 'Clocked work' });
    const draft = await stripe.invoices.create({
      customer,
      currency: 'eur',
      collection_method: 'send_invoice',
      days_until_due: 14,
      pending_invoice_items_behavior: 'include',
    });
    void clock;
    return stripe.invoices.finalizeInvoice(draft.id as string);
  }

  it('finds invoices created and paid on a clock frozen in the past, after the clock events moved time ahead', async () => {
    const wall = Math.floor(sandbox.now().getTime() / 1000);
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: wall - 200 * DAY });
    const customer = await stripe.customers.create({ name: 'Clocked Carl', test_clock: clock.id });
    const first = await clockedInvoice(clock.id, customer.id, 40_000);
    expect((await sync.backfill({ full: true })).mode).toBe('backfill');
    expect(await stored(first.id as string)).toMatchObject({ status: 'open' });
    // The first catch-up after a backfill reads by `created`; it learns the last event's id.
    await sync.catchUp();

    // The clock moves (its events carry wall time); its objects change at frozen time, long before.
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: wall - 190 * DAY });
    await eventually(
      async () => (await stripe.testHelpers.testClocks.retrieve(clock.id)).status,
      (status) => status === 'ready',
      'the clock to be ready',
    );
    await sync.catchUp();

    const second = await clockedInvoice(clock.id, customer.id, 25_000);
    await stripe.invoices.update(first.id as string, { metadata: { note: 'edited after the clock moved' } });
    await stripe.invoices.pay(first.id as string, { paid_out_of_band: true });
    const summary = await sync.catchUp();
    expect(summary.mode).toBe('catch-up');
    expect(await stored(first.id as string)).toEqual({ status: 'paid', remaining: 0, metadata: { note: 'edited after the clock moved' } });
    expect(await stored(second.id as string)).toMatchObject({ status: 'open', remaining: 25_000 });

    // Nothing new is nothing new: a second catch-up applies no event.
    expect((await sync.catchUp()).events).toBe(0);
  }, 60_000);
});
