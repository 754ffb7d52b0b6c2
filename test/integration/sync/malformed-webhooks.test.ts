import type { INestApplication } from '@nestjs/common';
import { Writable } from 'node:stream';
import pino from 'pino';
import Stripe from 'stripe';
import request from 'supertest';
import { createApp } from '../../../src/runtime/start-server';
import { WebhookInbox } from '../../../src/stripe/webhooks/webhook-inbox';
import { STRIPE_API_VERSION } from '../../../src/stripe/stripe-api-version';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { testConfig } from '../../support/test-config';

const SECRET = 'whsec_test_payrisk_malformed';
const signer = new Stripe('sk_test_signer');
const now = Math.floor(Date.now() / 1000);

function invoice(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    object: 'invoice',
    customer: 'cus_malformed_client',
    number: 'MF-0001',
    status: 'open',
    collection_method: 'send_invoice',
    currency: 'eur',
    subtotal: 50000,
    total: 50000,
    total_discount_amounts: [],
    amount_due: 50000,
    amount_paid: 0,
    amount_remaining: 50000,
    attempt_count: 0,
    created: now - 40 * 86400,
    due_date: now - 10 * 86400,
    status_transitions: { finalized_at: now - 40 * 86400, paid_at: null, voided_at: null, marked_uncollectible_at: null },
    parent: null,
    metadata: {},
    ...overrides,
  };
}

const envelope = (id: string, object: Record<string, unknown>) => ({
  id,
  object: 'event',
  api_version: STRIPE_API_VERSION,
  created: now,
  type: 'invoice.updated',
  livemode: false,
  data: { object },
});

describe('POST /webhooks/stripe: signed but malformed events', () => {
  let db: TestDatabase;
  let app: INestApplication;
  const lines: Array<{ level: number; msg?: string; req?: unknown; context?: string }> = [];

  const signed = (payload: string, timestamp = Math.floor(Date.now() / 1000)) =>
    signer.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp });
  const post = (payload: string, header = signed(payload)) =>
    request(app.getHttpServer()).post('/webhooks/stripe').set('Content-Type', 'application/json').set('Stripe-Signature', header).send(payload);
  const stored = async () => {
    await app.get(WebhookInbox).idle(); // the 2xx came after storing; the ledger is written by the inbox applier
    const [row] = await db.dataSource.query(
      `SELECT (SELECT count(*)::int FROM processed_events) AS events, (SELECT count(*)::int FROM invoices WHERE id LIKE 'in_mf_%') AS invoices`,
    );
    return row as { events: number; invoices: number };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    app = await createApp(testConfig({ STRIPE_WEBHOOK_SECRET: SECRET }), db.url, pino({ level: 'info' }, sink));
    await app.init();
    app.flushLogs(); // listen() does this in the server; init() alone keeps Nest's lines buffered
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const cases: Array<[string, string, RegExp]> = [
    ['no data', JSON.stringify({ id: 'evt_mf_nodata', object: 'event', created: now, type: 'invoice.updated' }), /data/],
    ['no id', JSON.stringify({ ...envelope('x', invoice('in_mf_noid')), id: undefined }), /\bid\b/],
    ['no data.object', JSON.stringify({ ...envelope('evt_mf_noobject', {}), data: {} }), /data\.object/],
    [
      'amount_remaining -5',
      JSON.stringify(envelope('evt_mf_negative', invoice('in_mf_negative', { amount_remaining: -5 }))),
      /amount_remaining must not be negative/,
    ],
    [
      'NUL byte in metadata',
      JSON.stringify(envelope('evt_mf_nul', invoice('in_mf_nul', { metadata: { note: 'a\u0000b' } }))),
      /metadata\.note contains a NUL byte/,
    ],
    ['a body of []', '[]', /body|expected object/],
  ];

  it.each(cases)('%s: 400 with the reason, nothing stored, exactly one log line', async (_name, payload, reason) => {
    const before = lines.length;
    const response = await post(payload);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_input');
    expect(response.body.error.message).toMatch(reason);
    expect(await stored()).toEqual({ events: 0, invoices: 0 });
    // pino-http's own request line aside, the refusal is logged once, as a warning. The scheduler's
    // jobs (the outbox's, every few seconds) log on their own and are no part of the request.
    const ours = lines.slice(before).filter((line) => line.req === undefined && line.context !== 'JobRunner');
    expect(ours).toHaveLength(1);
    expect(ours[0].level).toBe(40);
    expect(ours[0].msg).toMatch(reason);
  });

  it('refuses a body that is a bare JSON string, storing nothing', async () => {
    // Express's strict JSON parser refuses it before the controller (a 400 all the same).
    const response = await post(JSON.stringify('evt_just_a_string'));
    expect(response.status).toBe(400);
    expect(await stored()).toEqual({ events: 0, invoices: 0 });
  });

  it('refuses a signature timestamped beyond the tolerance in the future, as it does a stale one', async () => {
    const payload = JSON.stringify(envelope('evt_mf_future', invoice('in_mf_future')));
    const future = await post(payload, signed(payload, Math.floor(Date.now() / 1000) + 3600)).expect(400);
    expect(future.body.error.message).toMatch(/future/);
    await post(payload, signed(payload, Math.floor(Date.now() / 1000) - 3600)).expect(400);
    expect(await stored()).toEqual({ events: 0, invoices: 0 });
    // Within the tolerance either way it is accepted: clocks drift a little.
    await post(payload, signed(payload, Math.floor(Date.now() / 1000) + 60)).expect(200);
    expect(await stored()).toEqual({ events: 1, invoices: 1 });
  });
});
