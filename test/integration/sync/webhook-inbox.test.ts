import type { INestApplication } from '@nestjs/common';
import pino from 'pino';
import Stripe from 'stripe';
import request from 'supertest';
import { createApp } from '../../../src/runtime/start-server';
import { STRIPE_API_VERSION } from '../../../src/stripe/stripe-api-version';
import type { StripeConnection } from '../../../src/stripe/stripe-connection';
import { STRIPE_CONNECTION } from '../../../src/stripe/stripe.tokens';
import { LedgerChanges, type LedgerChange } from '../../../src/stripe/sync/ledger-changes';
import { WebhookInbox } from '../../../src/stripe/webhooks/webhook-inbox';
import { eventually } from '../../support/eventually';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { testConfig } from '../../support/test-config';

const SECRET = 'whsec_test_payrisk_inbox';
const signer = new Stripe('sk_test_signer');
const now = Math.floor(Date.now() / 1000);

function invoice(id: string, customer: string, status: 'open' | 'paid'): Record<string, unknown> {
  return {
    id,
    object: 'invoice',
    customer,
    number: `IN-${id}`,
    status,
    collection_method: 'send_invoice',
    currency: 'eur',
    subtotal: 20000,
    total: 20000,
    total_discount_amounts: [],
    amount_due: 20000,
    amount_paid: status === 'paid' ? 20000 : 0,
    amount_remaining: status === 'paid' ? 0 : 20000,
    attempt_count: 0,
    created: now - 40 * 86400,
    due_date: now - 10 * 86400,
    status_transitions: { finalized_at: now - 40 * 86400, paid_at: status === 'paid' ? now : null, voided_at: null, marked_uncollectible_at: null },
    parent: null,
    metadata: {},
  };
}

const event = (id: string, type: string, object: Record<string, unknown>) =>
  JSON.stringify({ id, object: 'event', api_version: STRIPE_API_VERSION, created: now, type, livemode: false, data: { object } });

describe('the webhook inbox', () => {
  let db: TestDatabase;
  let app: INestApplication;
  const changes: LedgerChange[] = [];

  const start = async () => {
    app = await createApp(testConfig({ STRIPE_WEBHOOK_SECRET: SECRET }), db.url, pino({ level: 'silent' }));
    app.get(LedgerChanges).subscribe(async (change) => void changes.push(change));
    await app.init();
  };
  const post = (payload: string) =>
    request(app.getHttpServer())
      .post('/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signer.webhooks.generateTestHeaderString({ payload, secret: SECRET }))
      .send(payload);

  beforeAll(async () => {
    db = await createTestDatabase();
    await start();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('invoice_payment.paid reaches the client through its invoice (the payment has no customer)', async () => {
    await post(event('evt_inbox_fin', 'invoice.finalized', invoice('in_inbox_1', 'cus_inbox_payer', 'open'))).expect(200);
    await app.get(WebhookInbox).idle();
    changes.length = 0;
    const payment = {
      id: 'inpay_inbox_1',
      object: 'invoice_payment',
      invoice: 'in_inbox_1',
      status: 'paid',
      currency: 'eur',
      amount_paid: 20000,
      amount_requested: 20000,
      created: now,
      status_transitions: { paid_at: now, canceled_at: null },
      is_default: true,
      livemode: false,
      payment: { type: 'payment_intent', payment_intent: 'pi_inbox_1' },
    };
    await post(event('evt_inbox_pay', 'invoice_payment.paid', payment)).expect(200);
    const seen = await eventually(
      async () => changes.filter((change) => change.eventType === 'invoice_payment.paid'),
      (found) => found.length > 0,
      'the reaction to invoice_payment.paid',
    );
    expect(seen).toEqual([
      { clientId: 'cus_inbox_payer', eventType: 'invoice_payment.paid', accountId: app.get<StripeConnection>(STRIPE_CONNECTION).accountId },
    ]);
    expect(await db.dataSource.query(`SELECT client_id, status FROM invoice_payments WHERE id = 'inpay_inbox_1'`)).toEqual([
      { client_id: 'cus_inbox_payer', status: 'paid' },
    ]);
  });

  it('applies every event of concurrent bursts (several store statements in flight) without being asked to', async () => {
    const accountId = app.get<StripeConnection>(STRIPE_CONNECTION).accountId;
    for (let burst = 0; burst < 5; burst += 1) {
      const payloads = Array.from({ length: 30 }, (_, i) =>
        event(`evt_inbox_burst_${burst}_${i}`, 'invoice.finalized', invoice(`in_inbox_burst_${burst}_${i}`, 'cus_inbox_burst', 'open')),
      );
      await Promise.all(payloads.map((payload) => post(payload).expect(200)));
    }
    // No idle(): only the applier's own scans, which start after the last row they applied.
    await eventually(
      async () =>
        (await db.dataSource.query(
          `SELECT (SELECT count(*)::int FROM processed_events WHERE id LIKE 'evt_inbox_burst_%') AS applied,
                  (SELECT count(*)::int FROM webhook_inbox WHERE stripe_account_id = $1) AS waiting`,
          [accountId],
        )) as { applied: number; waiting: number }[],
      ([row]) => row.applied === 150 && row.waiting === 0,
      'all 150 events applied and the inbox empty',
    );
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM invoices WHERE id LIKE 'in_inbox_burst_%'`)).toEqual([{ n: 150 }]);
  });

  it("applies a row committed late below the rows applied since (another process's) once asked to be idle", async () => {
    const accountId = app.get<StripeConnection>(STRIPE_CONNECTION).accountId;
    // Another process's insert: its seq is taken now, its commit comes after this process has applied later rows.
    const late = db.dataSource.createQueryRunner();
    await late.connect();
    await late.startTransaction();
    const payload = event('evt_inbox_late', 'invoice.finalized', invoice('in_inbox_late', 'cus_inbox_late', 'open'));
    await late.query(
      `INSERT INTO webhook_inbox (id, stripe_account_id, type, object_id, stripe_created_at, payload) VALUES ('evt_inbox_late', $1, 'invoice.finalized', 'in_inbox_late', $2, $3)`,
      [accountId, now, payload],
    );
    await post(event('evt_inbox_after', 'invoice.finalized', invoice('in_inbox_after', 'cus_inbox_late', 'open'))).expect(200);
    await eventually(
      async () => (await db.dataSource.query(`SELECT id FROM processed_events WHERE id = 'evt_inbox_after'`)) as unknown[],
      (rows) => rows.length === 1,
      'the later delivery applied',
    );
    await late.commitTransaction();
    await late.release();
    await app.get(WebhookInbox).idle();
    expect(await db.dataSource.query(`SELECT status FROM invoices WHERE id = 'in_inbox_late'`)).toEqual([{ status: 'open' }]);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM webhook_inbox`)).toEqual([{ n: 0 }]);
  });

  it('stores a redelivery of an event another process applied, skips it, and knows the next copy as a duplicate', async () => {
    const accountId = app.get<StripeConnection>(STRIPE_CONNECTION).accountId;
    await post(event('evt_inbox_elsewhere_fin', 'invoice.finalized', invoice('in_inbox_elsewhere', 'cus_inbox_elsewhere', 'open'))).expect(200);
    await app.get(WebhookInbox).idle();
    // Another process applied evt_inbox_elsewhere_paid (its id is recorded); this one never saw it.
    await db.dataSource.query(
      `INSERT INTO processed_events (id, stripe_account_id, type, object_id, stripe_created_at, processed_at) VALUES ('evt_inbox_elsewhere_paid', $1, 'invoice.paid', 'in_inbox_elsewhere', to_timestamp($2), now())`,
      [accountId, now],
    );
    changes.length = 0;
    const redelivered = event('evt_inbox_elsewhere_paid', 'invoice.paid', invoice('in_inbox_elsewhere', 'cus_inbox_elsewhere', 'paid'));
    expect((await post(redelivered).expect(200)).body).toEqual({ received: true, duplicate: false });
    await app.get(WebhookInbox).idle();
    // Skipped, not applied a second time: the invoice keeps the state this process wrote, no reaction fired.
    expect(await db.dataSource.query(`SELECT status FROM invoices WHERE id = 'in_inbox_elsewhere'`)).toEqual([{ status: 'open' }]);
    expect(changes.filter((change) => change.clientId === 'cus_inbox_elsewhere')).toEqual([]);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM webhook_inbox WHERE id = 'evt_inbox_elsewhere_paid'`)).toEqual([{ n: 0 }]);
    // Now this process knows it: the next copy is a duplicate, answered without a store.
    expect((await post(redelivered).expect(200)).body).toEqual({ received: true, duplicate: true });
  });

  it('applies at start-up what was stored but not applied when the process died', async () => {
    await app.close();
    // What the webhook stores before its 2xx, left behind by a process that died before applying it.
    const { accountId } = {
      accountId: (await db.dataSource.query(`SELECT stripe_account_id FROM invoices WHERE id = 'in_inbox_1'`))[0].stripe_account_id as string,
    };
    const payload = event('evt_inbox_orphan', 'invoice.paid', invoice('in_inbox_orphan', 'cus_inbox_orphan', 'paid'));
    await db.dataSource.query(
      `INSERT INTO webhook_inbox (id, stripe_account_id, type, object_id, stripe_created_at, payload) VALUES ('evt_inbox_orphan', $1, 'invoice.paid', 'in_inbox_orphan', $2, $3)`,
      [accountId, now, payload],
    );
    changes.length = 0;
    await start();
    expect(app.get<StripeConnection>(STRIPE_CONNECTION).accountId).toBe(accountId);
    await eventually(
      async () => (await db.dataSource.query(`SELECT status FROM invoices WHERE id = 'in_inbox_orphan'`)) as { status: string }[],
      (rows) => rows.length === 1 && rows[0].status === 'paid',
      'the swept event applied',
    );
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM webhook_inbox`)).toEqual([{ n: 0 }]);
    await eventually(
      async () => changes,
      (found) => found.some((change) => change.clientId === 'cus_inbox_orphan'),
      'the reaction to the swept invoice.paid',
    );
    // A redelivery of an applied event is a duplicate, not applied twice.
    expect((await post(payload).expect(200)).body).toEqual({ received: true, duplicate: true });
  });
});
