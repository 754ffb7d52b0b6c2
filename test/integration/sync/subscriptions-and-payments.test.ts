import type Stripe from 'stripe';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { ledgerWriter } from '../../../src/stripe/sync/ledger-writer';
import { mapInvoicePayment } from '../../../src/stripe/sync/mappers/stripe-invoice-payment.mapper';
import { mapSubscription } from '../../../src/stripe/sync/mappers/stripe-subscription.mapper';
import { StripeSyncService } from '../../../src/stripe/sync/stripe-sync.service';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

async function all<T>(list: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of list) items.push(item);
  return items;
}

const seconds = (date: Date | null) => (date === null ? null : Math.floor(date.getTime() / 1000));

interface SubscriptionLedgerRow {
  id: string;
  client_id: string;
  status: string;
  collection_method: string;
  currency: string;
  pause_behavior: string | null;
  pause_resumes_at: Date | null;
  cancel_at: Date | null;
  cancel_at_period_end: boolean;
  canceled_at: Date | null;
  current_period_end: Date | null;
  price_ids: string[];
  items: Array<{ id: string; price_id: string; quantity: number; unit_amount: number }>;
  schedule_id: string | null;
  stripe_account_id: string;
}

describe('subscriptions and invoice payments', () => {
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let db: TestDatabase;
  let service: StripeSyncService;
  const changed: Record<'paused' | 'canceled' | 'ending' | 'scheduled' | 'repriced' | 'untouched', Stripe.Subscription> = {} as never;
  let newPrice: Stripe.Price;
  let scheduleId: string;

  const ledgerSubscriptions = async (): Promise<Map<string, SubscriptionLedgerRow>> => {
    const rows: SubscriptionLedgerRow[] = await db.dataSource.query(`SELECT * FROM subscriptions`);
    return new Map(rows.map((row) => [row.id, row]));
  };

  const expectEqualToSandbox = async () => {
    const truth = await all(stripe.subscriptions.list({ limit: 100, status: 'all' }));
    const ledger = await ledgerSubscriptions();
    expect(ledger.size).toBe(truth.length);
    for (const subscription of truth) {
      const row = ledger.get(subscription.id) as SubscriptionLedgerRow;
      expect({
        client_id: row.client_id,
        status: row.status,
        collection_method: row.collection_method,
        currency: row.currency,
        pause_behavior: row.pause_behavior,
        pause_resumes_at: seconds(row.pause_resumes_at),
        cancel_at: seconds(row.cancel_at),
        cancel_at_period_end: row.cancel_at_period_end,
        canceled_at: seconds(row.canceled_at),
        current_period_end: seconds(row.current_period_end),
        price_ids: row.price_ids,
        items: row.items.map((item) => ({ id: item.id, price: item.price_id, quantity: item.quantity, unit_amount: item.unit_amount })),
        schedule_id: row.schedule_id,
        stripe_account_id: row.stripe_account_id,
      }).toEqual({
        client_id: subscription.customer,
        status: subscription.status,
        collection_method: subscription.collection_method,
        currency: subscription.currency,
        pause_behavior: subscription.pause_collection?.behavior ?? null,
        pause_resumes_at: subscription.pause_collection?.resumes_at ?? null,
        cancel_at: subscription.cancel_at,
        cancel_at_period_end: subscription.cancel_at_period_end,
        canceled_at: subscription.canceled_at,
        current_period_end: subscription.items.data[0].current_period_end,
        price_ids: subscription.items.data.map((item) => item.price.id),
        items: subscription.items.data.map((item) => ({ id: item.id, price: item.price.id, quantity: item.quantity, unit_amount: item.price.unit_amount })),
        schedule_id: subscription.schedule,
        stripe_account_id: sandbox.accountId,
      });
    }
    return truth;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 'demo' });
    stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url, maxNetworkRetries: 10 });
    db = await createTestDatabase();
    service = new StripeSyncService(db.dataSource, stripe, sandbox.accountId);

    // Every state a policy cares about, made through the API before the backfill reads it.
    const active = await all(stripe.subscriptions.list({ limit: 100 }));
    [changed.paused, changed.canceled, changed.ending, changed.scheduled, changed.repriced, changed.untouched] = active;
    const now = Math.floor(sandbox.now().getTime() / 1000);
    await stripe.subscriptions.update(changed.paused.id, { pause_collection: { behavior: 'mark_uncollectible', resumes_at: now + 30 * 86_400 } });
    await stripe.subscriptions.cancel(changed.canceled.id);
    await stripe.subscriptions.update(changed.ending.id, { cancel_at_period_end: true });
    scheduleId = (await stripe.subscriptionSchedules.create({ from_subscription: changed.scheduled.id })).id;
    const item = changed.repriced.items.data[0];
    newPrice = await stripe.prices.create({
      product: item.price.product as string,
      currency: item.price.currency,
      unit_amount: (item.price.unit_amount ?? 0) + 10_000,
      recurring: { interval: 'month' },
    });
    await stripe.subscriptions.update(changed.repriced.id, { items: [{ id: item.id, price: newPrice.id }] });
  });
  afterAll(async () => {
    await db.drop();
    await sandbox.stop();
  });

  it('backfills subscriptions equal to the sandbox: status, pause, cancellation, items and schedule', async () => {
    const summary = await service.backfill();
    const truth = await expectEqualToSandbox();
    expect(summary.counts.subscriptions).toBe(truth.length);
    const ledger = await ledgerSubscriptions();
    // The cases above really are in the comparison, not just active subscriptions.
    expect(ledger.get(changed.paused.id)?.pause_behavior).toBe('mark_uncollectible');
    expect(ledger.get(changed.canceled.id)?.status).toBe('canceled');
    expect(ledger.get(changed.ending.id)?.cancel_at).not.toBeNull();
    expect(ledger.get(changed.scheduled.id)?.schedule_id).toBe(scheduleId);
    expect(ledger.get(changed.repriced.id)?.price_ids).toEqual([newPrice.id]);
  });

  it('backfills invoice payments equal to the sandbox, each with the client of its invoice', async () => {
    const truth = await all(stripe.invoicePayments.list({ limit: 100 }));
    const invoices = new Map((await all(stripe.invoices.list({ limit: 100 }))).map((invoice) => [invoice.id, invoice]));
    expect(truth.length).toBeGreaterThan(100);
    const rows: Array<{
      id: string;
      invoice_id: string;
      client_id: string;
      status: string;
      currency: string;
      amount_paid: string;
      amount_requested: string;
      paid_at: Date | null;
      stripe_created_at: Date;
    }> = await db.dataSource.query(`SELECT * FROM invoice_payments`);
    const ledger = new Map(rows.map((row) => [row.id, row]));
    expect(ledger.size).toBe(truth.length);
    for (const payment of truth) {
      const row = ledger.get(payment.id);
      expect(
        row && {
          ...row,
          amount_paid: Number(row.amount_paid),
          amount_requested: Number(row.amount_requested),
          paid_at: seconds(row.paid_at),
          created: seconds(row.stripe_created_at),
        },
      ).toMatchObject({
        invoice_id: payment.invoice,
        client_id: invoices.get(payment.invoice as string)?.customer,
        status: payment.status,
        currency: payment.currency,
        amount_paid: payment.amount_paid,
        amount_requested: payment.amount_requested,
        paid_at: payment.status_transitions.paid_at,
        created: payment.created,
      });
    }
  });

  it('catches up subscription changes from events, schedule releases included, and ends equal again', async () => {
    await stripe.subscriptions.update(changed.untouched.id, { pause_collection: { behavior: 'void' } });
    await stripe.subscriptions.update(changed.paused.id, { pause_collection: '' });
    await stripe.subscriptionSchedules.release(scheduleId); // no customer.subscription.* event: only subscription_schedule.released
    const summary = await service.catchUp();
    expect(summary.mode).toBe('catch-up');
    expect(summary.counts.subscriptions).toBeGreaterThanOrEqual(3);
    await expectEqualToSandbox();
    const ledger = await ledgerSubscriptions();
    expect(ledger.get(changed.untouched.id)?.pause_behavior).toBe('void');
    expect(ledger.get(changed.paused.id)?.pause_behavior).toBeNull();
    expect(ledger.get(changed.scheduled.id)?.schedule_id).toBeNull();
  });

  it('re-reads a subscription on a late delivery: its stale snapshot never reaches the ledger', async () => {
    // A snapshot without the pause, stamped later than the ledger's last read (same-second
    // events arrive in any order): only re-reading the subscription keeps the ledger right.
    const stale = { ...changed.untouched, pause_collection: null };
    const event = {
      id: 'evt_stale_subscription',
      object: 'event',
      type: 'customer.subscription.updated',
      created: Math.floor(Date.now() / 1000) + 5,
      api_version: null,
      data: { object: stale },
    };
    expect(await service.applyEvent(event as unknown as Stripe.Event)).toBe(true);
    expect((await ledgerSubscriptions()).get(changed.untouched.id)?.pause_behavior).toBe('void');
    expect(await service.applyEvent(event as unknown as Stripe.Event)).toBe(false);
  });

  it('guards subscriptions by read time and keeps canceled final; invoice payments never go back from paid', async () => {
    const current = await stripe.subscriptions.retrieve(changed.untouched.id);
    const earlier = new Date(Date.now() - 60_000);
    await db.dataSource.transaction((manager) =>
      ledgerWriter.subscriptions(manager, [mapSubscription({ ...current, pause_collection: null }, sandbox.accountId, earlier)]),
    );
    expect((await ledgerSubscriptions()).get(changed.untouched.id)?.pause_behavior).toBe('void');

    const canceled = await stripe.subscriptions.retrieve(changed.canceled.id);
    await db.dataSource.transaction((manager) =>
      ledgerWriter.subscriptions(manager, [mapSubscription({ ...canceled, status: 'active' }, sandbox.accountId, new Date(Date.now() + 60_000))]),
    );
    expect((await ledgerSubscriptions()).get(changed.canceled.id)?.status).toBe('canceled');

    const [paid] = (await all(stripe.invoicePayments.list({ limit: 100, status: 'paid' }))).slice(0, 1);
    const stalePayment = { ...paid, status: 'open', amount_paid: 0, status_transitions: { canceled_at: null, paid_at: null } } as Stripe.InvoicePayment;
    await db.dataSource.transaction((manager) => ledgerWriter.invoicePayments(manager, [mapInvoicePayment(stalePayment, sandbox.accountId)]));
    const [row] = await db.dataSource.query(`SELECT status, amount_paid::int, client_id FROM invoice_payments WHERE id = $1`, [paid.id]);
    expect(row.status).toBe('paid');
    expect(row.amount_paid).toBe(paid.amount_paid);
    expect(row.client_id).not.toBeNull();
  });
});
