import type { INestApplication } from '@nestjs/common';
import pino from 'pino';
import Stripe from 'stripe';
import request from 'supertest';
import { createApp } from '../../../src/runtime/start-server';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { mapCustomer } from '../../../src/stripe/sync/mappers/stripe-customer.mapper';
import { mapInvoice } from '../../../src/stripe/sync/mappers/stripe-invoice.mapper';
import { PipelineService } from '../../../src/pipeline/pipeline.service';
import { WebhookInbox } from '../../../src/stripe/webhooks/webhook-inbox';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { policyConfig } from '../policies/policy-fixtures';
import { Prng } from '../../../src/sandbox/util/prng';

const SECRET = 'whsec_shuffled_deliveries';
const signer = new Stripe('sk_test_signer');
const INVOICES = 12;

/** A stored value in a form both sides share: dates as ISO text, numbers as text, objects with sorted keys. */
function normal(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(normal);
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, normal(v)]),
    );
  return value;
}

/** Every column the mapper writes, as stored, against the same columns mapped from Stripe's final object. */
async function compare(db: TestDatabase, table: string, expected: Record<string, unknown>): Promise<void> {
  const [row] = await db.dataSource.query(`SELECT * FROM ${table} WHERE id = $1`, [expected.id]);
  const stored = Object.fromEntries(Object.keys(expected).map((key) => [key, normal((row as Record<string, unknown> | undefined)?.[key])]));
  expect(stored).toEqual(Object.fromEntries(Object.entries(expected).map(([key, value]) => [key, normal(value)])));
}

describe('webhooks delivered shuffled, twice each, most within the same second', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    sandbox = await startSandbox({ port: 0, seed: 'empty' });
    stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url });
    // No catch-up during the test: every change must come from the deliveries.
    const config = policyConfig(`scheduler: { syncCatchUp: '0 0 1 1 *' }\n`, {
      STRIPE_SECRET_KEY: sandbox.secretKey,
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: SECRET,
    });
    app = await createApp(config, db.url, pino({ level: 'silent' }));
    await app.init();
    await app.get(PipelineService).initialRun(); // the (empty) first backfill, before any object exists
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await sandbox?.stop();
    await db?.drop();
  });

  it('stores every field as Stripe finally has it', async () => {
    const customers: string[] = [];
    for (const name of ['Shuffled Sam', 'Twice Tina']) {
      const created = await stripe.customers.create({ name, email: `${name.split(' ')[0].toLowerCase()}@client.test`, metadata: { tier: 'a' } });
      await stripe.customers.update(created.id, { metadata: { tier: 'b' } });
      await stripe.customers.update(created.id, { metadata: { tier: 'c', note: 'final' } });
      customers.push(created.id);
    }
    const base = Math.floor(sandbox.now().getTime() / 1000);
    const invoices: string[] = [];
    for (let i = 0; i < INVOICES; i += 1) {
      const customer = customers[i % 2];
      await stripe.invoiceItems.create({ customer, amount: 10_000 + i * 100, currency: 'eur', description: `Work ${i}` });
      const draft = await stripe.invoices.create({
        customer,
        currency: 'eur',
        collection_method: 'send_invoice',
        due_date: base + 10 * 86_400,
        pending_invoice_items_behavior: 'include',
      });
      const id = draft.id as string;
      await stripe.invoices.update(id, { due_date: base + (20 + i) * 86_400, metadata: { po: `PO-${i}-draft` } });
      await stripe.invoices.finalizeInvoice(id);
      for (const round of ['1', '2', '3']) await stripe.invoices.update(id, { metadata: { po: `PO-${i}`, round } });
      if (i % 3 === 0) await stripe.invoices.pay(id, { paid_out_of_band: true });
      if (i % 3 === 1) await stripe.invoices.update(id, { metadata: { po: `PO-${i}`, round: 'last' } });
      invoices.push(id);
    }

    const events: Stripe.Event[] = [];
    for await (const event of stripe.events.list({ limit: 100 })) events.push(event);
    expect(events.length).toBeGreaterThan(INVOICES * 6);
    const seconds = new Map<number, number>();
    for (const event of events) seconds.set(event.created, (seconds.get(event.created) ?? 0) + 1);
    // Most events share their second with others: the snapshots' order cannot come from `created` alone.
    expect(Math.max(...seconds.values())).toBeGreaterThan(10);

    const deliveries = [...new Prng(7).shuffle(events), ...new Prng(11).shuffle(events)];
    const server = app.getHttpServer();
    const statuses: number[] = [];
    for (let i = 0; i < deliveries.length; i += 8) {
      await Promise.all(
        deliveries.slice(i, i + 8).map(async (event) => {
          const payload = JSON.stringify(event);
          const signature = signer.webhooks.generateTestHeaderString({ payload, secret: SECRET });
          const response = await request(server)
            .post('/webhooks/stripe')
            .set('Content-Type', 'application/json')
            .set('Stripe-Signature', signature)
            .send(payload);
          statuses.push(response.status);
        }),
      );
    }
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const inbox = app.get(WebhookInbox);
    await inbox.idle();

    for (const id of invoices)
      await compare(db, 'invoices', mapInvoice(await stripe.invoices.retrieve(id), sandbox.accountId) as unknown as Record<string, unknown>);
    for (const id of customers)
      await compare(
        db,
        'clients',
        mapCustomer((await stripe.customers.retrieve(id)) as Stripe.Customer, sandbox.accountId) as unknown as Record<string, unknown>,
      );
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM processed_events`);
    expect(n).toBe(events.length);
    // Ties cost Stripe requests: at most 5 % of the events (one list request covers many objects).
    expect(inbox.rereads).toBeLessThanOrEqual(Math.floor(events.length * 0.05));
    console.log(
      `shuffled deliveries: ${deliveries.length} deliveries of ${events.length} events, ${inbox.rereads} re-reads (${((100 * inbox.rereads) / events.length).toFixed(1)} % of events)`,
    );
  }, 60_000);
});
