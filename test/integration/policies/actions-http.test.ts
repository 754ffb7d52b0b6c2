import type { NestExpressApplication } from '@nestjs/platform-express';
import { SchedulerRegistry } from '@nestjs/schedule';
import pino from 'pino';
import type Stripe from 'stripe';
import request from 'supertest';
import { findFreePort } from '../../../src/database/free-port';
import { OutboxSender } from '../../../src/notifications/outbox/outbox-sender';
import { PolicyRunner } from '../../../src/policies/policy-runner';
import { createApp } from '../../../src/runtime/start-server';
import type { RunningSandbox } from '../../../src/sandbox';
import { StripeSyncService } from '../../../src/stripe/sync/stripe-sync.service';
import { PipelineService } from '../../../src/pipeline/pipeline.service';
import { eventually } from '../../support/eventually';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtp-server';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { customer, DAY, feeItems, invoice, policyConfig, sandboxStartingDaysAgo } from './policy-fixtures';

const TOKEN = 'test-token-actions-http-0123456789';
const DIGEST_CRON = '0 9 * * 2';
const policies = `policies:
  lateFee: { enabled: true, mode: approve, graceDays: 7, preset: custom, method: fixed, fixedAmount: 2500 }
notifications:
  digest: { enabled: true, cron: "${DIGEST_CRON}" }
`;

interface AuditRow {
  fromStatus: string | null;
  toStatus: string;
  actor: string;
  at: string;
  stripeIds: Record<string, string>;
}
interface ActionBody {
  id: string;
  kind: string;
  customerId: string;
  status: string;
  stripeIds: Record<string, string>;
  audit?: AuditRow[];
}

/**
 * The owner's decisions through the bearer-token API and through a Reject link received over
 * real SMTP, the cron ticks the app registers, and the sandbox endpoint refusing to move a
 * Stripe that is not payrisk's own sandbox (STRIPE_SECRET_KEY set).
 */
describe('the actions API, emailed reject links, cron registration and the sandbox endpoint on a real-key Stripe', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let smtp: TestSmtpServer;
  let app: NestExpressApplication;
  let base: string;
  const clients: Record<'approved' | 'rejected' | 'linked', string> = { approved: '', rejected: '', linked: '' };
  const names = { approved: 'Approved Alma', rejected: 'Rejected Rudi', linked: 'Linked Lena' };

  const api = () => request(app.getHttpServer());
  const auth = { Authorization: `Bearer ${TOKEN}` };
  const getAction = async (id: string) => (await api().get(`/api/actions/${id}`).set(auth).expect(200)).body as ActionBody;
  const proposedFeeFor = async (clientId: string): Promise<ActionBody> => {
    const list = (await api().get(`/api/actions?kind=late_fee&customerId=${clientId}`).set(auth).expect(200)).body as ActionBody[];
    expect(list).toHaveLength(1); // one overdue invoice, one proposal
    expect(list[0]).toMatchObject({ kind: 'late_fee', customerId: clientId, status: 'proposed' });
    return list[0];
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpServer();
    const port = await findFreePort();
    base = `http://127.0.0.1:${port}`;
    ({ sandbox, stripe } = await sandboxStartingDaysAgo(30));
    for (const key of ['approved', 'rejected', 'linked'] as const) {
      clients[key] = await customer(stripe, names[key]);
      await invoice(stripe, clients[key], 120_000);
    }
    await sandbox.advanceTime(25 * DAY); // each invoice is 18 days past due: past the 7-day grace

    const config = policyConfig(policies, {
      STRIPE_SECRET_KEY: sandbox.secretKey,
      STRIPE_API_BASE: sandbox.url,
      API_TOKEN: TOKEN,
      PUBLIC_URL: base,
      SMTP_URL: smtp.url,
      OWNER_EMAIL: 'owner@agency.test',
    });
    app = await createApp(config, db.url, pino({ level: 'silent' }));
    await app.listen(port, '127.0.0.1');
    // The first run after boot is the whole pipeline: sync → detect → policies (→ alerts, outbox).
    const initial = await app.get(PipelineService).initialRun();
    expect(initial).toMatchObject({ status: 'ran', actionsCreated: 3, actionsApplied: 0, failed: [] });
    await app.get(StripeSyncService).backfill({ full: true });
    const result = await app.get(PolicyRunner).run();
    expect(result.created).toBe(0); // the pipeline recorded them already
    const proposed = (await db.dataSource.query(`SELECT client_id FROM actions WHERE kind = 'late_fee' AND mode = 'approve' AND status = 'proposed'`)) as {
      client_id: string;
    }[];
    expect(proposed.map((p) => p.client_id).sort()).toEqual(Object.values(clients).sort());
    expect(result.applied).toBe(0); // proposals wait for the owner
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await sandbox?.stop();
    await smtp?.stop();
    await db?.drop();
  });

  it('POST /api/actions/:id/approve applies the fee in Stripe and records who did what, when', async () => {
    const proposal = await proposedFeeFor(clients.approved);
    expect((await feeItems(stripe, clients.approved)).length).toBe(0);

    const approved = (await api().post(`/api/actions/${proposal.id}/approve`).set(auth).expect(200)).body as ActionBody;
    expect(approved).toMatchObject({ id: proposal.id, status: 'applied', stripeIds: { invoiceItem: expect.stringMatching(/^ii_/) } });
    const item = await stripe.invoiceItems.retrieve(approved.stripeIds.invoiceItem);
    expect(item).toMatchObject({
      customer: clients.approved,
      amount: 2500,
      currency: 'eur',
      metadata: expect.objectContaining({ payrisk_action_id: proposal.id }),
    });
    expect((await feeItems(stripe, clients.approved)).map((i) => i.id)).toEqual([approved.stripeIds.invoiceItem]);

    const action = await getAction(proposal.id);
    expect(action.status).toBe('applied');
    const audit = action.audit ?? [];
    expect(audit.map((a) => `${a.toStatus}:${a.actor}`)).toEqual(['proposed:system', 'approved:api', 'applied:api']);
    expect(audit.map((a) => a.fromStatus)).toEqual([null, 'proposed', 'approved']);
    for (const row of audit) {
      expect(typeof row.at).toBe('string');
      expect(Number.isNaN(Date.parse(row.at))).toBe(false);
    }
    const times = audit.map((a) => Date.parse(a.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times); // in the order they happened
    const applied = audit.find((a) => a.toStatus === 'applied');
    expect(Object.values(applied?.stripeIds ?? {})).toContain(approved.stripeIds.invoiceItem);

    await api().post(`/api/actions/${proposal.id}/approve`).set(auth).expect(409); // decided once
    expect(await feeItems(stripe, clients.approved)).toHaveLength(1);
  });

  it('POST /api/actions/:id/reject rejects and puts nothing in Stripe', async () => {
    const proposal = await proposedFeeFor(clients.rejected);
    const rejected = (await api().post(`/api/actions/${proposal.id}/reject`).set(auth).expect(200)).body as ActionBody;
    expect(rejected).toMatchObject({ id: proposal.id, status: 'rejected', stripeIds: {} });
    const action = await getAction(proposal.id);
    expect(action.status).toBe('rejected');
    expect((action.audit ?? []).map((a) => `${a.toStatus}:${a.actor}`)).toEqual(['proposed:system', 'rejected:api']);
    expect(await feeItems(stripe, clients.rejected)).toHaveLength(0);
    await api().post(`/api/actions/${proposal.id}/approve`).set(auth).expect(409); // a rejection is final
    expect(await feeItems(stripe, clients.rejected)).toHaveLength(0);
  });

  it('a bulk decision answers per id for decided or unknown actions, and fails whole when the database does', async () => {
    const decided = (await api().get('/api/actions?status=rejected').set(auth).expect(200)).body as ActionBody[];
    expect(decided.length).toBeGreaterThan(0);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const decide = () =>
      api()
        .post('/api/dashboard/actions/decisions')
        .set(auth)
        .send({ decision: 'approve', ids: [decided[0].id, unknown] });
    const answer = await decide().expect(200);
    expect(answer.body.results).toEqual([
      expect.objectContaining({ id: decided[0].id, ok: false, error: expect.stringContaining('rejected') }),
      expect.objectContaining({ id: unknown, ok: false }),
    ]);
    // Not "ok: false" per id: an outage is not an answer about those actions.
    await db.dataSource.query('ALTER TABLE actions RENAME TO actions_away');
    try {
      const outage = await decide();
      expect(outage.status).toBeGreaterThanOrEqual(500);
    } finally {
      await db.dataSource.query('ALTER TABLE actions_away RENAME TO actions');
    }
    expect((await getAction(decided[0].id)).status).toBe('rejected');
  });

  it('the Reject link of an email received over SMTP rejects the proposal when POSTed to the app', async () => {
    const proposal = await proposedFeeFor(clients.linked);
    await app.get(OutboxSender).sendDue();
    const subject = `payrisk: Late fee of €25.00 for ${names.linked} needs your approval`;
    const [mail] = await eventually(
      async () => smtp.messages.filter((m) => m.subject === subject),
      (found) => found.length > 0,
      'the proposal email over SMTP',
    );
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('owner@agency.test');
    const link = new URL(/Reject: (\S+)/.exec(mail.text ?? '')?.[1] ?? 'missing:');
    expect(link.origin).toBe(base);
    expect(link.pathname).toBe(`/approvals/${proposal.id}/reject`);

    const page = await fetch(link, { method: 'POST' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Rejected: nothing was changed in Stripe.');
    const action = await getAction(proposal.id);
    expect(action.status).toBe('rejected');
    expect((action.audit ?? []).map((a) => `${a.toStatus}:${a.actor}`)).toEqual(['proposed:system', 'rejected:owner_link']);
    expect(await feeItems(stripe, clients.linked)).toHaveLength(0);
  });

  it('registers every cron tick, the digest on the cron of the policy file', () => {
    const jobs = app.get(SchedulerRegistry).getCronJobs();
    expect([...jobs.keys()].sort()).toEqual(
      ['dashboard:months', 'notifications:outbox', 'pipeline:catch-up', 'pipeline:detect', 'pipeline:digest', 'pipeline:policies'].sort(),
    );
    expect(jobs.get('pipeline:digest')?.cronTime.source).toBe(DIGEST_CRON);
  });

  it('POST /api/sandbox/advance answers 404 on a real-key Stripe and moves no clock', async () => {
    const before = sandbox.now().getTime();
    const response = await api().post('/api/sandbox/advance').set(auth).send({ duration: '7d' }).expect(404);
    expect(response.body).toMatchObject({ error: { code: 'not_found', message: expect.stringContaining('no sandbox to move') } });
    expect(sandbox.now().getTime()).toBeLessThan(before + DAY * 1000);
    await api().get('/api/sandbox').set(auth).expect(404);
  });
});
