import type { NestExpressApplication } from '@nestjs/platform-express';
import pino from 'pino';
import type Stripe from 'stripe';
import request from 'supertest';
import { resolveLinkSecret } from '../../../src/auth/link-secret';
import type { AppConfig } from '../../../src/config';
import { findFreePort } from '../../../src/database/free-port';
import { buildApprovalUrl } from '../../../src/policies/approvals/approval-link';
import { OutboxSender } from '../../../src/notifications/outbox/outbox-sender';
import { PolicyRunner } from '../../../src/policies/policy-runner';
import { createApp } from '../../../src/runtime/start-server';
import type { RunningSandbox } from '../../../src/sandbox';
import { StripeSyncService } from '../../../src/stripe/sync/stripe-sync.service';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtp-server';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { customer, DAY, invoice, policyConfig, sandboxStartingDaysAgo } from './policy-fixtures';
import { eventually } from '../../support/eventually';

const SECRET = 'whsec_policies_test_secret';
const TOKEN = 'test-token-0123456789abcdef';
const policies = `policies:
  workPause: { enabled: true, mode: auto, minDaysPastDue: 45, minAmount: 0, pauseSubscriptions: true }
  lateFee: { enabled: true, mode: approve, graceDays: 7, preset: custom, method: fixed, fixedAmount: 2500 }
`;

describe('work pause until arrears are paid, and one-click approvals, in the running app', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let app: NestExpressApplication;
  let smtp: TestSmtpServer;
  let config: AppConfig;
  let retainerClient: string;
  let adHocClient: string;
  let owed: Stripe.Subscription;
  let paidUp: Stripe.Subscription;
  let adHocInvoice: Stripe.Invoice;

  const api = () => request(app.getHttpServer());
  const workStatus = async (id: string) =>
    (await api().get(`/api/clients/${id}/work-status`).set('Authorization', `Bearer ${TOKEN}`).expect(200)).body as { workStatus: string; reason: string };

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpServer();
    const port = await findFreePort();
    ({ sandbox, stripe } = await sandboxStartingDaysAgo(60, { webhookUrl: `http://127.0.0.1:${port}/webhooks/stripe`, webhookSecret: SECRET }));
    retainerClient = await customer(stripe, 'Retainer Rob');
    adHocClient = await customer(stripe, 'Ad-hoc Annie');
    const product = await stripe.products.create({ name: 'Support' });
    const monthly = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 50_000, recurring: { interval: 'month' } });
    const yearly = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 120_000, recurring: { interval: 'year' } });
    owed = await stripe.subscriptions.create({
      customer: retainerClient,
      items: [{ price: monthly.id }],
      collection_method: 'send_invoice',
      days_until_due: 7,
    });
    paidUp = await stripe.subscriptions.create({
      customer: retainerClient,
      items: [{ price: yearly.id }],
      collection_method: 'send_invoice',
      days_until_due: 7,
    });
    await stripe.invoices.pay(String(paidUp.latest_invoice), { paid_out_of_band: true });
    adHocInvoice = await invoice(stripe, adHocClient, 300_000);
    await sandbox.advanceTime(57 * DAY); // the first invoices are 50 days past due

    config = policyConfig(policies, {
      STRIPE_SECRET_KEY: sandbox.secretKey,
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: SECRET,
      API_TOKEN: TOKEN,
      PUBLIC_URL: 'https://payrisk.agency.test',
      SMTP_URL: smtp.url,
      OWNER_EMAIL: 'owner@agency.test',
    });
    app = await createApp(config, db.url, pino({ level: 'silent' }));
    await app.listen(port, '127.0.0.1');
    await app.get(StripeSyncService).backfill({ full: true });
  });
  afterAll(async () => {
    await app?.close();
    await sandbox?.stop();
    await smtp?.stop();
    await db?.drop();
  });

  it('pauses clients in arrears, mirrors it to Stripe, and pauses only the subscription the arrears concern', async () => {
    await app.get(PolicyRunner).run();
    const paused = (await db.dataSource.query(`SELECT client_id FROM actions WHERE kind = 'work_pause' AND status = 'applied'`)) as { client_id: string }[];
    expect(paused.map((a) => a.client_id).sort()).toEqual([adHocClient, retainerClient].sort());
    expect(await workStatus(retainerClient)).toMatchObject({ workStatus: 'paused', reason: expect.stringContaining('past due') });
    expect((await stripe.customers.retrieve(retainerClient)) as Stripe.Customer).toMatchObject({ metadata: { payrisk_work_status: 'paused' } });
    expect((await stripe.subscriptions.retrieve(owed.id)).pause_collection).toMatchObject({ behavior: 'keep_as_draft' });
    expect((await stripe.subscriptions.retrieve(paidUp.id)).pause_collection).toBeNull();
    const mails = await db.dataSource.query(`SELECT subject FROM outbox_messages WHERE kind = 'pause' ORDER BY subject`);
    expect(mails).toEqual([{ subject: 'payrisk: work for Ad-hoc Annie is paused' }, { subject: 'payrisk: work for Retainer Rob is paused' }]);
    expect((await app.get(PolicyRunner).run()).created).toBe(0);
  });

  it('lifts the pause within seconds of the paying webhook, in Stripe too, and tells the owner', async () => {
    const open: Stripe.Invoice[] = [];
    for await (const inv of stripe.invoices.list({ customer: retainerClient, status: 'open' })) open.push(inv);
    for (const inv of open) await stripe.invoices.pay(inv.id as string, { paid_out_of_band: true });
    await eventually(
      () => workStatus(retainerClient),
      (s) => s.workStatus === 'active',
      'the resume after payment',
    );
    await eventually(
      async () => ((await stripe.customers.retrieve(retainerClient)) as Stripe.Customer).metadata.payrisk_work_status,
      (v) => v === 'active',
      'Stripe metadata',
    );
    expect((await stripe.subscriptions.retrieve(owed.id)).pause_collection).toBeNull();
    const [mail] = await eventually(
      async () =>
        (await db.dataSource.query(`SELECT subject, text FROM outbox_messages WHERE kind = 'resume' AND client_id = $1`, [retainerClient])) as {
          subject: string;
        }[],
      (rows) => rows.length === 1,
      'the resume email',
    );
    expect(mail.subject).toBe('payrisk: work for Retainer Rob can resume');
    expect(await workStatus(adHocClient)).toMatchObject({ workStatus: 'paused' }); // someone else's payment changes nothing
  });

  it('a credit note that clears the arrears also lifts the pause', async () => {
    await stripe.creditNotes.create({ invoice: adHocInvoice.id as string, amount: 300_000, reason: 'order_change' });
    await eventually(
      () => workStatus(adHocClient),
      (s) => s.workStatus === 'active',
      'the resume after the credit note',
    );
    expect(((await stripe.customers.retrieve(adHocClient)) as Stripe.Customer).metadata.payrisk_work_status).toBe('active');
  });

  it('one-click links from a received email: GET asks, POST decides once; forged and expired links change nothing', async () => {
    // The app's own sender may be delivering these emails right now, so the messages received
    // so far are kept (clearing them raced with it): any approval email of this client will do.
    await app.get(OutboxSender).sendDue();
    const subject = 'payrisk: Late fee of €25.00 for Retainer Rob needs your approval';
    const received = await eventually(
      async () => smtp.messages.filter((m) => m.subject === subject),
      (found) => found.length > 0,
      'the approval email over SMTP',
    );
    const mail = received[0]; // one per overdue invoice of this client
    expect(mail?.to).toMatchObject({ text: 'owner@agency.test' });
    const approve = new URL(/Approve: (\S+)/.exec(mail?.text ?? '')?.[1] ?? '');
    const path = `${approve.pathname}${approve.search}`;
    const actionId = approve.pathname.split('/')[2];

    const page = await api().get(path).expect(200);
    expect(page.text).toMatch(/<form method="post" action="\/approvals\/[^"]+\/approve\?/);
    expect(page.text).toContain('Retainer Rob');
    const forged = path.replace(/sig=[0-9a-f]{4}/, 'sig=0000');
    expect((await api().post(forged).expect(403)).text).toContain('Nothing was changed');
    const expired = new URL(buildApprovalUrl('https://x', actionId, 'approve', new Date(Date.now() - 60_000), resolveLinkSecret(config)));
    expect((await api().post(`${expired.pathname}${expired.search}`).expect(410)).text).toContain('This link has expired');
    expect((await api().get(`/api/actions/${actionId}`).set('Authorization', `Bearer ${TOKEN}`).expect(200)).body.status).toBe('proposed');

    expect((await api().post(path).expect(200)).text).toContain('Approved and applied in Stripe.');
    expect((await api().post(path).expect(409)).text).toContain('is applied');
    const action = (await api().get(`/api/actions/${actionId}`).set('Authorization', `Bearer ${TOKEN}`).expect(200)).body;
    expect(action).toMatchObject({ kind: 'late_fee', customerId: retainerClient, status: 'applied', amount: { amount: 2500, currency: 'eur' } });
    expect(action.audit.map((a: { toStatus: string; actor: string }) => `${a.toStatus}:${a.actor}`)).toEqual([
      'proposed:system',
      'approved:owner_link',
      'applied:owner_link',
    ]);
    const item = await stripe.invoiceItems.retrieve(action.stripeIds.invoiceItem);
    expect(item).toMatchObject({ amount: 2500, metadata: expect.objectContaining({ payrisk_action_id: actionId }) });
  });

  it('a pause never outlives the arrears, even when Stripe refuses the resume (customer deleted there)', async () => {
    await db.dataSource.query(
      `INSERT INTO clients (id, stripe_account_id, name, work_status, stripe_created_at) VALUES ('cus_ghost', $1, 'Ghost Ltd', 'paused', now())`,
      [sandbox.accountId],
    );
    await db.dataSource.query(
      `INSERT INTO actions (kind, client_id, stripe_account_id, status, mode, dedupe_key, reason, params, proposed_at, applied_at) VALUES ('work_pause', 'cus_ghost', $1, 'applied', 'auto', 'work_pause:cus_ghost:in_old', 'old arrears', '{}', now(), now())`,
      [sandbox.accountId],
    );
    const result = await app.get(PolicyRunner).run();
    const resume = result.actions.find((a) => a.clientId === 'cus_ghost');
    expect(resume).toMatchObject({ kind: 'work_resume', status: 'failed', error: expect.stringContaining('No such customer') });
    expect(await workStatus('cus_ghost')).toMatchObject({ workStatus: 'active' });
    const [mail] = await db.dataSource.query(`SELECT subject FROM outbox_messages WHERE client_id = 'cus_ghost'`);
    expect(mail.subject).toBe('payrisk: Resume work for Ghost Ltd FAILED');
  });

  it('the actions API lists with filters and refuses what cannot happen', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    type Listed = { id: string; kind: string; status: string; customerId: string };
    const all = (await api().get('/api/actions').set(auth).expect(200)).body as Listed[];
    const list = (await api().get('/api/actions?kind=work_pause').set(auth).expect(200)).body as Listed[];
    expect(list.length).toBe(3);
    expect(list.every((a) => a.status === 'applied')).toBe(true);
    // Exactly the actions of the full list that match: none missing, none extra, same order.
    expect(list.map((a) => a.id)).toEqual(all.filter((a) => a.kind === 'work_pause').map((a) => a.id));
    const applied = (await api().get('/api/actions?status=applied').set(auth).expect(200)).body as Listed[];
    expect(applied.map((a) => a.id)).toEqual(all.filter((a) => a.status === 'applied').map((a) => a.id));
    const ghost = (await api().get('/api/actions?customerId=cus_ghost').set(auth).expect(200)).body as Listed[];
    expect(ghost.length).toBeGreaterThan(0);
    expect(ghost.map((a) => a.id)).toEqual(all.filter((a) => a.customerId === 'cus_ghost').map((a) => a.id));
    await api().get('/api/actions?status=nope').set(auth).expect(400);
    await api().get('/api/actions/00000000-0000-0000-0000-000000000000').set(auth).expect(404);
    await api()
      .post(`/api/actions/${(list[0] as unknown as { id: string }).id}/waive`)
      .set(auth)
      .expect(409);
    await api().get('/api/clients/cus_unknown/work-status').set(auth).expect(404);
    await api().get('/api/actions').expect(401);
  });
});
