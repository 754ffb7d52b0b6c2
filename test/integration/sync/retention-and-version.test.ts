import { Logger, type INestApplication } from '@nestjs/common';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import pino from 'pino';
import Stripe from 'stripe';
import request from 'supertest';
import { createApp } from '../../../src/runtime/start-server';
import { WebhookInbox } from '../../../src/stripe/webhooks/webhook-inbox';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { STRIPE_API_VERSION } from '../../../src/stripe/stripe-api-version';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { StripeSyncService } from '../../../src/stripe/sync/stripe-sync.service';
import { stripeFixtures } from '../../support/stripe-fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { testConfig } from '../../support/test-config';

const DAY = 86_400;

async function all<T>(list: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of list) items.push(item);
  return items;
}

const ids = (objects: { id?: string }[]) => objects.map((o) => o.id as string).sort();

describe('events cursor older than Stripe keeps events (30 days)', () => {
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let db: TestDatabase;

  const eventsCursor = async (accountId: string): Promise<string | null> =>
    (
      (await db.dataSource.query(`SELECT cursor FROM sync_cursors WHERE stripe_account_id = $1 AND stream = 'events'`, [accountId])) as {
        cursor: string | null;
      }[]
    )[0]?.cursor ?? null;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 'demo' });
    stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url, maxNetworkRetries: 10 });
    db = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
    await sandbox?.stop();
  }, 30_000);

  it('falls back to a full backfill and ends with the ledger equal to the sandbox', async () => {
    const service = new StripeSyncService(db.dataSource, stripe, sandbox.accountId);
    expect((await service.backfill()).mode).toBe('backfill');

    // The ledger drifts while nobody syncs: new objects in Stripe, and some ledger rows lost.
    const customer = await stripe.customers.create({ name: 'Late Joiner Ltd', email: 'ap@late-joiner.test' });
    const invoice = await stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice', days_until_due: 14, currency: 'eur' });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 12_000, currency: 'eur' });
    await stripe.invoices.finalizeInvoice(invoice.id as string);
    await db.dataSource.query(`DELETE FROM invoices WHERE id IN (SELECT id FROM invoices ORDER BY stripe_created_at, id LIMIT 3)`);

    // The last catch-up was 31 days ago (the cursor is the unix second of the newest event applied).
    const stale = Math.floor(Date.now() / 1000) - 31 * DAY;
    const [, updated] = (await db.dataSource.query(`UPDATE sync_cursors SET cursor = $2 WHERE stripe_account_id = $1 AND stream = 'events'`, [
      sandbox.accountId,
      String(stale),
    ])) as [unknown, number];
    expect(updated).toBe(1);

    const summary = await service.catchUp();

    const customers = await all(stripe.customers.list({ limit: 100 }));
    const invoices = await all(stripe.invoices.list({ limit: 100 }));
    expect(summary.mode).toBe('backfill');
    // Everything was read again, not only what changed.
    expect(summary.counts.customers).toBe(customers.length);
    expect(summary.counts.invoices).toBe(invoices.length);
    const [counts] = await db.dataSource.query(`SELECT (SELECT count(*)::int FROM clients) AS customers, (SELECT count(*)::int FROM invoices) AS invoices`);
    expect(counts).toEqual({ customers: customers.length, invoices: invoices.length });
    expect(ids(await db.dataSource.query(`SELECT id FROM invoices`))).toEqual(ids(invoices));
    expect(ids(await db.dataSource.query(`SELECT id FROM clients`))).toEqual(ids(customers));
    const [joiner] = await db.dataSource.query(`SELECT i.status, i.total::int, c.name FROM invoices i JOIN clients c ON c.id = i.client_id WHERE i.id = $1`, [
      invoice.id,
    ]);
    expect(joiner).toEqual({ status: 'open', total: 12_000, name: 'Late Joiner Ltd' });

    // The backfill leaves a fresh cursor, so the next run catches up from events again.
    expect(Number(await eventsCursor(sandbox.accountId))).toBeGreaterThan(Math.floor(Date.now() / 1000) - DAY);
    expect((await service.catchUp()).mode).toBe('catch-up');
  }, 180_000);

  it('still catches up from events when the cursor is 29 days old', async () => {
    const own = await createTestDatabase();
    try {
      const service = new StripeSyncService(own.dataSource, stripe, sandbox.accountId);
      await service.backfill();
      const recent = Math.floor(Date.now() / 1000) - 29 * DAY;
      await own.dataSource.query(`UPDATE sync_cursors SET cursor = $2 WHERE stripe_account_id = $1 AND stream = 'events'`, [sandbox.accountId, String(recent)]);
      const summary = await service.catchUp();
      expect(summary.mode).toBe('catch-up');
      expect(summary.counts.customers ?? 0).toBeLessThan((await all(stripe.customers.list({ limit: 100 }))).length);
    } finally {
      await own.drop();
    }
  }, 180_000);
});

describe('signed webhooks: another API version, a deleted customer', () => {
  const SECRET = 'whsec_test_payrisk_versions';
  const OTHER_VERSION = '2025-03-31.basil';
  const signer = new Stripe('sk_test_signer');
  const now = Math.floor(Date.now() / 1000);
  const warnings: { message: string; context: string }[] = [];
  let db: TestDatabase;
  let app: INestApplication;

  const event = (id: string, apiVersion: string, type: string, object: Record<string, unknown>) =>
    JSON.stringify({ id, object: 'event', api_version: apiVersion, created: now, type, livemode: false, data: { object } });
  const post = (payload: string) =>
    request(app.getHttpServer())
      .post('/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signer.webhooks.generateTestHeaderString({ payload, secret: SECRET }))
      .send(payload);
  const invoice = (id: string) => ({
    id,
    object: 'invoice',
    customer: 'cus_version_client',
    number: 'VER-0001',
    status: 'open',
    collection_method: 'send_invoice',
    currency: 'eur',
    subtotal: 30_000,
    total: 30_000,
    total_discount_amounts: [],
    amount_due: 30_000,
    amount_paid: 0,
    amount_remaining: 30_000,
    attempt_count: 0,
    created: now - 20 * DAY,
    due_date: now - 5 * DAY,
    status_transitions: { finalized_at: now - 20 * DAY, paid_at: null, voided_at: null, marked_uncollectible_at: null },
    parent: null,
    metadata: {},
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createApp(testConfig({ STRIPE_WEBHOOK_SECRET: SECRET }), db.url, pino({ level: 'silent' }));
    await app.init();
    // After createApp: it installs its own (pino) logger, which this replaces.
    Logger.overrideLogger({
      log() {},
      error() {},
      warn: (message: unknown, context?: unknown) => warnings.push({ message: String(message), context: String(context) }),
      debug() {},
      verbose() {},
    });
    // createApp buffers logs (bufferLogs) until listen(), which supertest never calls:
    // flushing detaches the buffer so later lines reach the logger above.
    app.flushLogs();
  }, 60_000);
  afterAll(async () => {
    Logger.overrideLogger(app.get(PinoNestLogger));
    await app.close();
    await db.drop();
  }, 30_000);

  it('accepts and stores a signed event whose api_version differs, and warns naming both versions', async () => {
    expect(OTHER_VERSION).not.toBe(STRIPE_API_VERSION);
    const payload = event('evt_ver_other', OTHER_VERSION, 'invoice.finalized', invoice('in_ver_other'));
    expect((await post(payload).expect(200)).body).toEqual({ received: true, duplicate: false });

    await app.get(WebhookInbox).idle(); // the 2xx came after storing; the ledger is written by the inbox applier
    const stored = await db.dataSource.query(`SELECT type, api_version, object_id FROM processed_events WHERE id = 'evt_ver_other'`);
    expect(stored).toEqual([{ type: 'invoice.finalized', api_version: OTHER_VERSION, object_id: 'in_ver_other' }]);
    const [row] = await db.dataSource.query(`SELECT status, client_id, amount_remaining::int FROM invoices WHERE id = 'in_ver_other'`);
    expect(row).toEqual({ status: 'open', client_id: 'cus_version_client', amount_remaining: 30_000 });

    const versionWarnings = warnings.filter((w) => w.message.includes('evt_ver_other'));
    expect(versionWarnings).toHaveLength(1);
    expect(versionWarnings[0].context).toBe('WebhookIntake');
    expect(versionWarnings[0].message).toContain(OTHER_VERSION);
    expect(versionWarnings[0].message).toContain(STRIPE_API_VERSION);
  }, 30_000);

  it('does not warn for an event on the expected version', async () => {
    const before = warnings.length;
    const payload = event('evt_ver_same', STRIPE_API_VERSION, 'invoice.finalized', invoice('in_ver_same'));
    expect((await post(payload).expect(200)).body).toEqual({ received: true, duplicate: false });
    expect(warnings.slice(before)).toEqual([]);
    await app.get(WebhookInbox).idle(); // the 2xx came after storing; the ledger is written by the inbox applier
    expect(await db.dataSource.query(`SELECT api_version FROM processed_events WHERE id = 'evt_ver_same'`)).toEqual([{ api_version: STRIPE_API_VERSION }]);
  }, 30_000);

  // Stripe's customer.deleted event carries the customer as it was, without `deleted: true`
  // (only the DELETE response and a later retrieve have it), and a backfill cannot repair a
  // missed deletion: customers.list omits deleted ones. The event type decides.
  it('marks the client deleted on customer.deleted, whose object is the full customer as it was', async () => {
    const customer = { ...(stripeFixtures().customer as Record<string, unknown>), id: 'cus_ver_gone', name: 'Gone Ltd', created: now - 90 * DAY };
    const created = event('evt_ver_cus_created', STRIPE_API_VERSION, 'customer.created', customer);
    await post(created).expect(200);
    // Stripe sends the customer as it was before deletion, without `deleted: true`: the event type says it.
    const deleted = event('evt_ver_cus_deleted', STRIPE_API_VERSION, 'customer.deleted', customer);
    expect((await post(deleted).expect(200)).body).toEqual({ received: true, duplicate: false });
    await app.get(WebhookInbox).idle(); // the 2xx came after storing; the ledger is written by the inbox applier
    expect(await db.dataSource.query(`SELECT deleted, name FROM clients WHERE id = 'cus_ver_gone'`)).toEqual([{ deleted: true, name: 'Gone Ltd' }]);
  }, 30_000);
});
