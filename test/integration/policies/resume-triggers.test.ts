import type { NestExpressApplication } from '@nestjs/platform-express';
import pino from 'pino';
import type Stripe from 'stripe';
import request from 'supertest';
import { findFreePort } from '../../../src/database/free-port';
import { PolicyRunner } from '../../../src/policies/policy-runner';
import { createApp } from '../../../src/runtime/start-server';
import type { RunningSandbox } from '../../../src/sandbox';
import { StripeSyncService } from '../../../src/stripe/sync/stripe-sync.service';
import { eventually } from '../../support/eventually';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { customer, DAY, invoice, policyConfig, sandboxStartingDaysAgo } from './policy-fixtures';

const SECRET = 'whsec_resume_triggers_secret';
const TOKEN = 'test-token-0123456789abcdef';
const policies = `policies:
  workPause: { enabled: true, mode: auto, minDaysPastDue: 45, minAmount: 0 }
`;

/** Settling arrears without payment (a void, a write-off) lifts a pause just as a payment does. */
describe('a pause lifts within seconds when the owner voids or writes off the arrears, in the running app', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let app: NestExpressApplication;
  let voided: string;
  let writtenOff: string;
  let untouched: string;
  const owed: Record<string, Stripe.Invoice> = {};

  const api = () => request(app.getHttpServer());
  const workStatus = async (id: string) =>
    (await api().get(`/api/clients/${id}/work-status`).set('Authorization', `Bearer ${TOKEN}`).expect(200)).body as { workStatus: string; reason: string };
  const stripeWorkStatus = async (id: string) => ((await stripe.customers.retrieve(id)) as Stripe.Customer).metadata.payrisk_work_status;

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await findFreePort();
    ({ sandbox, stripe } = await sandboxStartingDaysAgo(60, { webhookUrl: `http://127.0.0.1:${port}/webhooks/stripe`, webhookSecret: SECRET }));
    voided = await customer(stripe, 'Voided Vera');
    writtenOff = await customer(stripe, 'Written-off Walt');
    untouched = await customer(stripe, 'Untouched Ursula');
    for (const id of [voided, writtenOff, untouched]) owed[id] = await invoice(stripe, id, 300_000);
    await sandbox.advanceTime(57 * DAY); // 50 days past due: past the 45-day pause rule

    const config = policyConfig(policies, {
      STRIPE_SECRET_KEY: sandbox.secretKey,
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: SECRET,
      API_TOKEN: TOKEN,
    });
    app = await createApp(config, db.url, pino({ level: 'silent' }));
    await app.listen(port, '127.0.0.1');
    await app.get(StripeSyncService).backfill({ full: true });

    await app.get(PolicyRunner).run();
    // The app's own first run at boot may have applied some of the pauses: read them from the table.
    const rows: { client_id: string }[] = await db.dataSource.query(`SELECT client_id FROM actions WHERE kind = 'work_pause' AND status = 'applied'`);
    const paused = rows.map((r) => r.client_id);
    expect(paused.sort()).toEqual([voided, writtenOff, untouched].sort());
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await sandbox?.stop();
    await db?.drop();
  }, 60_000);

  it('all three start paused, in payrisk and in Stripe', async () => {
    for (const id of [voided, writtenOff, untouched]) {
      expect(await workStatus(id)).toMatchObject({ workStatus: 'paused' });
      expect(await stripeWorkStatus(id)).toBe('paused');
    }
  }, 60_000);

  it('voiding the overdue invoice in Stripe resumes the client', async () => {
    await stripe.invoices.voidInvoice(owed[voided].id as string);
    await eventually(
      () => workStatus(voided),
      (s) => s.workStatus === 'active',
      'the resume after the void',
    );
    await eventually(
      () => stripeWorkStatus(voided),
      (v) => v === 'active',
      'Stripe metadata after the void',
    );
    expect(await db.dataSource.query(`SELECT status FROM invoices WHERE id = $1`, [owed[voided].id])).toEqual([{ status: 'void' }]);
    const resumes = await eventually(
      async () =>
        (await db.dataSource.query(`SELECT status, reason FROM actions WHERE kind = 'work_resume' AND client_id = $1`, [voided])) as {
          status: string;
          reason: string;
        }[],
      (rows) => rows.length === 1 && rows[0].status === 'applied',
      'the recorded resume',
    );
    expect(resumes[0].reason).toBe('every overdue invoice is settled');
    expect(await workStatus(untouched)).toMatchObject({ workStatus: 'paused' }); // someone else's void changes nothing
  }, 60_000);

  it('marking the overdue invoice uncollectible in Stripe resumes the client', async () => {
    await stripe.invoices.markUncollectible(owed[writtenOff].id as string);
    await eventually(
      () => workStatus(writtenOff),
      (s) => s.workStatus === 'active',
      'the resume after the write-off',
    );
    await eventually(
      () => stripeWorkStatus(writtenOff),
      (v) => v === 'active',
      'Stripe metadata after the write-off',
    );
    expect(await db.dataSource.query(`SELECT status FROM invoices WHERE id = $1`, [owed[writtenOff].id])).toEqual([{ status: 'uncollectible' }]);
    await eventually(
      async () => (await db.dataSource.query(`SELECT status FROM actions WHERE kind = 'work_resume' AND client_id = $1`, [writtenOff])) as { status: string }[],
      (rows) => rows.length === 1 && rows[0].status === 'applied',
      'the recorded resume',
    );
    expect(await workStatus(untouched)).toMatchObject({ workStatus: 'paused' });
    expect(await stripeWorkStatus(untouched)).toBe('paused');
  }, 60_000);
});
