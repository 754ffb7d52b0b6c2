import type { INestApplication } from '@nestjs/common';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import Stripe from 'stripe';
import request from 'supertest';
import { createApp } from '../../../src/runtime/start-server';
import { WebhookInbox } from '../../../src/stripe/webhooks/webhook-inbox';
import { STRIPE_API_VERSION } from '../../../src/stripe/stripe-api-version';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { testConfig } from '../../support/test-config';

const SECRET = 'whsec_test_payrisk_webhooks';
const signer = new Stripe('sk_test_signer');
const now = Math.floor(Date.now() / 1000);

function invoiceState(id: string, status: 'open' | 'paid', paidAt: number | null): Record<string, unknown> {
  return {
    id,
    object: 'invoice',
    customer: 'cus_webhook_client',
    number: 'WH-0001',
    status,
    collection_method: 'send_invoice',
    currency: 'eur',
    subtotal: 50000,
    total: 50000,
    total_discount_amounts: [],
    amount_due: 50000,
    amount_paid: status === 'paid' ? 50000 : 0,
    amount_remaining: status === 'paid' ? 0 : 50000,
    attempt_count: 0,
    created: now - 40 * 86400,
    due_date: now - 10 * 86400,
    status_transitions: { finalized_at: now - 40 * 86400, paid_at: paidAt, voided_at: null, marked_uncollectible_at: null },
    parent: null,
    metadata: {},
  };
}

function event(id: string, type: string, object: Record<string, unknown>, created = now) {
  return JSON.stringify({ id, object: 'event', api_version: STRIPE_API_VERSION, created, type, livemode: false, data: { object } });
}

describe('POST /webhooks/stripe', () => {
  let db: TestDatabase;
  let app: INestApplication;

  const post = (payload: string, header?: string) => {
    const call = request(app.getHttpServer()).post('/webhooks/stripe').set('Content-Type', 'application/json');
    return (header === undefined ? call : call.set('Stripe-Signature', header)).send(payload);
  };
  const signed = (payload: string, timestamp = Math.floor(Date.now() / 1000)) =>
    signer.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp });
  const storedEvents = async () => (await db.dataSource.query(`SELECT count(*)::int AS n FROM processed_events WHERE id LIKE 'evt_wh_%'`))[0].n as number;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createApp(testConfig({ STRIPE_WEBHOOK_SECRET: SECRET }), db.url, pino({ level: 'silent' }));
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('rejects forged, unsigned, stale and malformed deliveries and stores nothing', async () => {
    const payload = event('evt_wh_forged', 'invoice.paid', invoiceState('in_wh_forged', 'paid', now));
    const forged = signer.webhooks.generateTestHeaderString({ payload, secret: 'whsec_not_ours' });
    expect((await post(payload, forged).expect(400)).body.error.message).toContain('signature verification failed');
    expect((await post(payload).expect(400)).body.error.message).toContain('Missing Stripe-Signature');
    await post(payload, signed(payload, Math.floor(Date.now() / 1000) - 3600)).expect(400);
    await post(payload, 'garbage').expect(400);
    expect(await storedEvents()).toBe(0);
    expect(await db.dataSource.query(`SELECT id FROM invoices WHERE id = 'in_wh_forged'`)).toEqual([]);
  });

  it('applies a signed event once; a duplicate delivery is a no-op', async () => {
    const payload = event('evt_wh_1', 'invoice.finalized', invoiceState('in_wh_1', 'open', null));
    expect((await post(payload, signed(payload)).expect(200)).body).toEqual({ received: true, duplicate: false });
    expect((await post(payload, signed(payload)).expect(200)).body).toEqual({ received: true, duplicate: true });
    await app.get(WebhookInbox).idle(); // the 2xx came after storing; the ledger is written by the inbox applier
    expect(await storedEvents()).toBe(1);
    const [row] = await db.dataSource.query(`SELECT status, client_id FROM invoices WHERE id = 'in_wh_1'`);
    expect(row).toEqual({ status: 'open', client_id: 'cus_webhook_client' });
  });

  it('never lets an older state overwrite a newer one, even within the same second', async () => {
    const paid = event('evt_wh_2', 'invoice.paid', invoiceState('in_wh_2', 'paid', now - 86400));
    const stillOpen = event('evt_wh_3', 'invoice.updated', invoiceState('in_wh_2', 'open', null));
    await post(paid, signed(paid)).expect(200);
    await post(stillOpen, signed(stillOpen)).expect(200); // arrives late, same `created` second
    await app.get(WebhookInbox).idle(); // the 2xx came after storing; the ledger is written by the inbox applier
    const [row] = await db.dataSource.query(`SELECT status, amount_remaining::int, paid_at FROM invoices WHERE id = 'in_wh_2'`);
    expect(row).toEqual({ status: 'paid', amount_remaining: 0, paid_at: new Date((now - 86400) * 1000) });
  });

  it('answers deliveries outside Express with the security headers every route carries, and only JSON', async () => {
    const payload = event('evt_wh_headers', 'invoice.finalized', invoiceState('in_wh_headers', 'open', null));
    const response = await post(payload, signed(payload)).expect(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    const text = await request(app.getHttpServer())
      .post('/webhooks/stripe')
      .set('Content-Type', 'text/plain')
      .set('Stripe-Signature', signed(payload))
      .send(payload);
    expect({ status: text.status, code: text.body.error?.code }).toEqual({ status: 415, code: 'unsupported_media_type' });
  });

  it('stores a gzip-compressed delivery as it does a plain one (Express inflates it, the same intake decides)', async () => {
    const payload = event('evt_wh_gzip', 'invoice.finalized', invoiceState('in_wh_gzip', 'open', null));
    const response = await request(app.getHttpServer())
      .post('/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .set('Stripe-Signature', signed(payload))
      .serialize((data: unknown) => data as string)
      .send(gzipSync(Buffer.from(payload)) as unknown as string);
    expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: { received: true, duplicate: false } });
    await app.get(WebhookInbox).idle();
    expect(await db.dataSource.query(`SELECT status FROM invoices WHERE id = 'in_wh_gzip'`)).toEqual([{ status: 'open' }]);
  });

  it('stores concurrent deliveries together (one statement), each answered only once stored; copies of one event are applied once', async () => {
    const payloads = Array.from({ length: 12 }, (_, i) =>
      event(`evt_wh_burst_${i % 4}`, 'invoice.finalized', invoiceState(`in_wh_burst_${i % 4}`, 'open', null)),
    );
    const answers = await Promise.all(payloads.map(async (payload) => (await post(payload, signed(payload)).expect(200)).body as { duplicate: boolean }));
    // Each event is new to one of its copies; a copy racing with the apply's commit may be told "new" too (it is still applied once).
    expect(answers.filter((answer) => !answer.duplicate).length).toBeGreaterThanOrEqual(4);
    // Every 2xx came after its row was committed: all four are in the inbox or applied already.
    const [{ n }] = await db.dataSource.query(
      `SELECT count(DISTINCT id)::int AS n FROM (SELECT id FROM webhook_inbox WHERE id LIKE 'evt_wh_burst_%' UNION ALL SELECT id FROM processed_events WHERE id LIKE 'evt_wh_burst_%') AS stored`,
    );
    expect(n).toBe(4);
    await app.get(WebhookInbox).idle();
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM processed_events WHERE id LIKE 'evt_wh_burst_%'`)).toEqual([{ n: 4 }]);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM invoices WHERE id LIKE 'in_wh_burst_%'`)).toEqual([{ n: 4 }]);
  });
});
