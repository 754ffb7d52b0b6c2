import type { NestExpressApplication } from '@nestjs/platform-express';
import pino from 'pino';
import type Stripe from 'stripe';
import { markAccountRemoved, upsertAccount } from '../../../src/accounts/accounts.query';
import { JobQueue } from '../../../src/jobs/job-queue';
import { fetchNextPipelineJob } from '../../../src/jobs/pipeline-jobs.query';
import { PipelineJobs } from '../../../src/jobs/pipeline-jobs';
import { PIPELINE_DEAD_LETTER_QUEUE, PIPELINE_QUEUE } from '../../../src/jobs/pipeline-queue';
import { PipelineWorker, type PipelineJobOutput } from '../../../src/jobs/pipeline-worker';
import { PipelineService } from '../../../src/pipeline/pipeline.service';
import { createApp } from '../../../src/runtime/start-server';
import type { RunningSandbox } from '../../../src/sandbox';
import { eventually } from '../../support/eventually';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { customer, DAY, invoice, policyConfig, sandboxStartingDaysAgo } from '../policies/policy-fixtures';

const policies = `policies:
  lateFee: { enabled: true, mode: approve, graceDays: 7, preset: custom, method: fixed, fixedAmount: 2500 }
`;

/**
 * The pipeline queue on pg-boss with today's one account: a queued run is taken by the worker
 * and runs sync → detect → policies → alerts → outbox inside the account's scope; ticks for an
 * account that already waits join that job; a waiting follow-up of a running account never holds
 * back another account's job; a job whose retries are spent lands in the dead-letter queue.
 */
describe('pipeline jobs on pg-boss', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let app: NestExpressApplication;
  let jobs: PipelineJobs;
  let late: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ sandbox, stripe } = await sandboxStartingDaysAgo(30));
    late = await customer(stripe, 'Late Lotte');
    await invoice(stripe, late, 90_000);
    await sandbox.advanceTime(25 * DAY);
    const config = policyConfig(policies, { STRIPE_SECRET_KEY: sandbox.secretKey, STRIPE_API_BASE: sandbox.url });
    // A web process runs no pipeline of its own (no boot run, no ticks): every run here is a job the test's worker takes.
    app = await createApp(config, db.url, pino({ level: 'silent' }), { jobs: { role: 'web', concurrency: 1 } });
    await app.init();
    expect(await app.get(PipelineService).initialRun()).toBeUndefined();
    jobs = app.get(PipelineJobs);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await sandbox?.stop();
    await db?.drop();
  });

  const jobState = async (id: string) => (await (await jobs.boss()).getJobById<object>(PIPELINE_QUEUE, id, { includeArchive: true }))?.state;
  const clearQueue = async () => (await jobs.boss()).getDb().executeSql(`DELETE FROM payrisk_jobs.job WHERE name = $1`, [PIPELINE_QUEUE]);

  it('ticks for an account that already waits join its job, carrying their flags', async () => {
    await clearQueue();
    const account = sandbox.accountId;
    const first = await jobs.enqueue(account);
    const second = await jobs.enqueue(account, { fullDetect: true });
    const third = await jobs.enqueue(account, { digest: true });
    expect([second, third]).toEqual([first, first]);
    const job = await (await jobs.boss()).getJobById<object>(PIPELINE_QUEUE, first);
    expect(job?.data).toEqual({ account, fullDetect: true, digest: true });
    expect(job?.singletonKey).toBe(account);
  });

  it("a running account's queued follow-up does not hold back another account's job", async () => {
    await clearQueue();
    const boss = await jobs.boss();
    const running = await jobs.enqueue('acct_busy');
    expect((await fetchNextPipelineJob(boss.getDb(), PIPELINE_QUEUE))?.id).toBe(running);
    const followUp = await jobs.enqueue('acct_busy');
    expect(followUp).not.toBe(running); // one running and one waiting per account (stately)
    const other = await jobs.enqueue('acct_other');
    expect((await fetchNextPipelineJob(boss.getDb(), PIPELINE_QUEUE))?.id).toBe(other);
    expect(await fetchNextPipelineJob(boss.getDb(), PIPELINE_QUEUE)).toBeUndefined(); // acct_busy still runs
    await boss.complete(PIPELINE_QUEUE, running);
    expect((await fetchNextPipelineJob(boss.getDb(), PIPELINE_QUEUE))?.id).toBe(followUp);
    await clearQueue();
  });

  it("a tick queues one run per active account (the environment's when none is added); ticks of several processes at once still one", async () => {
    await clearQueue();
    const queued = async () =>
      (
        (
          await (
            await jobs.boss()
          )
            .getDb()
            .executeSql(`SELECT singleton_key FROM payrisk_jobs.job WHERE name = $1 AND state = 'created' ORDER BY 1`, [PIPELINE_QUEUE])
        ).rows as { singleton_key: string }[]
      ).map((row) => row.singleton_key);
    expect(await jobs.enqueueForActiveAccounts()).toBe(1);
    expect(await queued()).toEqual([sandbox.accountId]);
    await clearQueue();
    const now = new Date();
    for (const [id, name] of [
      ['acct_1Alpha', 'Alpha Studio'],
      ['acct_1Beta', 'Beta Agency'],
      ['acct_1Gone', 'Gone Ltd'],
    ]) {
      const sealed = Buffer.from('sealed');
      const row = {
        stripeAccountId: id,
        name,
        apiKeySealed: sealed,
        apiKeyHint: 'sk_test_…0000',
        livemode: false,
        webhookSecretSealed: null,
        ownerEmail: null,
        policyFile: null,
        defaultCurrency: null,
      };
      await upsertAccount(db.dataSource.manager, row, now);
    }
    await markAccountRemoved(db.dataSource.manager, 'acct_1Gone', now);
    // Three worker processes ticking on the same minute.
    await Promise.all([jobs.enqueueForActiveAccounts(), jobs.enqueueForActiveAccounts(), jobs.enqueueForActiveAccounts()]);
    expect(await queued()).toEqual(['acct_1Alpha', 'acct_1Beta']);
    await db.dataSource.query(`DELETE FROM accounts`);
    await clearQueue();
  });

  it('a job whose retries are spent goes to the dead-letter queue with its data', async () => {
    const boss = await jobs.boss();
    const id = await boss.send(PIPELINE_QUEUE, { account: 'acct_doomed' }, { singletonKey: 'acct_doomed', retryLimit: 0 });
    const fetched = await fetchNextPipelineJob(boss.getDb(), PIPELINE_QUEUE);
    expect(fetched?.id).toBe(id);
    await boss.fail(PIPELINE_QUEUE, id as string, { message: 'Stripe said no' });
    const dead = await boss.fetch<{ account: string }>(PIPELINE_DEAD_LETTER_QUEUE);
    expect(dead.map((job) => job.data)).toEqual([{ account: 'acct_doomed' }]);
  });

  it('the worker runs a queued run for the account (backfill, detection, policies): the late invoice gets its fee proposal, once', async () => {
    await clearQueue();
    await app.get(PipelineWorker).start(2);
    const id = await jobs.enqueue(sandbox.accountId, { fullDetect: true });
    await eventually(
      () => jobState(id),
      (state) => state === 'completed',
      'the pipeline job to complete',
      30_000,
    );
    const job = await (await jobs.boss()).getJobById<object>(PIPELINE_QUEUE, id, { includeArchive: true });
    expect(job?.output as PipelineJobOutput).toMatchObject({ account: sandbox.accountId, actionsCreated: 1, failed: [], pid: process.pid });
    const again = await jobs.enqueue(sandbox.accountId);
    await eventually(
      () => jobState(again),
      (state) => state === 'completed',
      'the second run to complete',
      30_000,
    );
    const second = await (await jobs.boss()).getJobById<object>(PIPELINE_QUEUE, again, { includeArchive: true });
    expect(second?.output as PipelineJobOutput).toMatchObject({ actionsCreated: 0, failed: [] });
    const fees = (await db.dataSource.query(`SELECT client_id FROM actions WHERE kind = 'late_fee'`)) as { client_id: string }[];
    expect(fees).toEqual([{ client_id: late }]);
  }, 60_000);

  it('the queue lives in its own schema, created by pg-boss', async () => {
    expect(app.get(JobQueue)).toBeDefined();
    const [row] = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'payrisk_jobs' AND table_name = 'job'`,
    )) as {
      n: number;
    }[];
    expect(row.n).toBe(1);
  });
});
