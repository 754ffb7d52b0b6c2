import type { INestApplication } from '@nestjs/common';
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
});
