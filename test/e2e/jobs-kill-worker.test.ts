import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type PgBossType from 'pg-boss';
import { findFreePort } from '../../src/database/free-port';
import { JOBS_SCHEMA } from '../../src/jobs/job-queue';
import { PIPELINE_DEAD_LETTER_OPTIONS, PIPELINE_QUEUE, PIPELINE_QUEUE_OPTIONS } from '../../src/jobs/pipeline-queue';
import type { PipelineJobOutput } from '../../src/jobs/pipeline-worker';
import { createStripeClient } from '../../src/stripe/stripe-client.factory';
import { assertBuilt, freshWorkdir, runCliAsync, spawnCli, type ServerProcess } from '../support/cli-process';
import { eventually } from '../support/eventually';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const PgBoss = require('pg-boss') as typeof PgBossType;

beforeAll(assertBuilt);

const ACCOUNTS = 4;
/** The fault test's jobs expire after 20 s instead of 30 min, and retry after 1 s: a dead worker's job comes back within the test. */
const FAST = { expireInSeconds: 20, retryDelay: 1, retryBackoff: false };

interface SandboxAccount {
  accountId: string;
  secretKey: string;
}

/**
 * Two `payrisk worker` processes (the built CLI) on one PostgreSQL, a `payrisk sandbox --accounts 4 --seed demo`
 * (a demo business per account: late payers, hagglers) and four added accounts. Worker A takes every account's job; once it is busy it is killed with
 * `kill -9` (no shutdown hook runs), and worker B starts. B gets A's jobs back when they expire (pg-boss
 * maintenance) and runs them again. Nothing is lost (every job completes, every account's ledger
 * holds all its Stripe invoices and an assessment per client) and nothing is doubled: per account,
 * no client has two actions of a kind for one invoice, no email is queued twice, and a further
 * round of runs adds no action and no email.
 */
describe('jobs across two worker processes, one killed with kill -9 mid-run', () => {
  let db: TestDatabase;
  let sandbox: ServerProcess;
  let boss: PgBossType;
  const workers: ServerProcess[] = [];
  let accounts: SandboxAccount[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await findFreePort();
    sandbox = spawnCli(['sandbox', '--port', String(port), '--seed', 'demo', '--accounts', String(ACCOUNTS)], freshWorkdir(), {});
    const output = await eventually(
      () => {
        if (sandbox.child.exitCode !== null) throw new Error(`payrisk sandbox exited early:\n${sandbox.output()}`);
        return Promise.resolve(sandbox.output());
      },
      (text) => text.includes('Press Ctrl-C to stop.'),
      'payrisk sandbox to print its accounts',
      60_000,
    );
    const apiBase = /^\s*STRIPE_API_BASE=(\S+)\s*$/m.exec(output)![1];
    accounts = [...output.matchAll(/^\s+\d+\. (acct_\w+)\s+(sk_test_\w+)\s+whsec_\w+/gm)].map(([, accountId, secretKey]) => ({ accountId, secretKey }));
    expect(accounts).toHaveLength(ACCOUNTS);
    env = {
      DATABASE_URL: db.url,
      STRIPE_API_BASE: apiBase,
      STRIPE_SECRET_KEY: accounts[0].secretKey,
      PAYRISK_SECRET_KEY: randomBytes(32).toString('base64'),
      PAYRISK_CONFIG: join(__dirname, '..', '..', 'config', 'demo.yaml'),
      OWNER_EMAIL: 'owner@agency.test',
    };
    for (const [index, account] of accounts.entries()) {
      const added = await runCliAsync(['accounts', 'add', '--name', `Business ${index + 1}`, '--key', account.secretKey], {
        cwd: freshWorkdir(),
        env: { ...env, PAYRISK_HOME: join(freshWorkdir(), 'home') },
      });
      expect(added).toMatchObject({ status: 0 });
    }
    boss = new PgBoss({ connectionString: db.url, schema: JOBS_SCHEMA, supervise: false, schedule: false, max: 2 });
    boss.on('error', (error: Error) => console.error(`pg-boss: ${error.message}`));
    await boss.start();
    await boss.createQueue(PIPELINE_DEAD_LETTER_OPTIONS.name, PIPELINE_DEAD_LETTER_OPTIONS);
    await boss.createQueue(PIPELINE_QUEUE, PIPELINE_QUEUE_OPTIONS);
  }, 180_000);
  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((worker) => worker.closed));
    await boss?.stop({ graceful: false, close: true });
    if (sandbox && sandbox.child.exitCode === null) {
      sandbox.child.kill('SIGINT');
      await sandbox.exited;
    }
    await db?.drop();
  });

  const startWorker = async (name: string, concurrency: number): Promise<ServerProcess> => {
    const worker = spawnCli(['worker', '--concurrency', String(concurrency)], freshWorkdir(), { ...env, PAYRISK_HOME: join(freshWorkdir(), name) });
    workers.push(worker);
    await eventually(
      () => {
        if (worker.child.exitCode !== null) throw new Error(`worker ${name} exited early:\n${worker.output()}`);
        return Promise.resolve(worker.output());
      },
      (text) => /worker pid \d+ running jobs/.test(text),
      `worker ${name} to start`,
      60_000,
    );
    return worker;
  };
  const jobRows = async () =>
    (
      await boss
        .getDb()
        .executeSql(`SELECT id, singleton_key AS account, state, retry_count, output FROM ${JOBS_SCHEMA}.job WHERE name = $1 ORDER BY created_on`, [
          PIPELINE_QUEUE,
        ])
    ).rows as { id: string; account: string; state: string; retry_count: number; output: PipelineJobOutput | null }[];
  const unfinished = async () => (await jobRows()).filter((job) => ['created', 'retry', 'active'].includes(job.state));
  const perAccount = async (sql: string) =>
    Object.fromEntries(((await db.dataSource.query(sql)) as { account: string; n: number }[]).map((row) => [row.account, row.n]));
  const counts = async () => ({
    actions: await perAccount(`SELECT stripe_account_id AS account, count(*)::int AS n FROM actions GROUP BY 1`),
    emails: await perAccount(
      `SELECT a.stripe_account_id AS account, count(*)::int AS n FROM outbox_messages o JOIN clients c ON c.id = o.client_id JOIN accounts a ON a.stripe_account_id = c.stripe_account_id GROUP BY 1`,
    ),
  });

  it("retries the killed worker's jobs on the other worker; nothing lost, no action or email doubled", async () => {
    const ids = new Map<string, string>();
    for (const account of accounts)
      ids.set(account.accountId, (await boss.send(PIPELINE_QUEUE, { account: account.accountId }, { singletonKey: account.accountId, ...FAST }))!);

    const a = await startWorker('a', ACCOUNTS);
    // A is mid-run: it holds every account's job and has written part of the ledgers.
    await eventually(jobRows, (jobs) => jobs.filter((job) => job.state === 'active').length === ACCOUNTS, 'worker A to take every job', 60_000);
    await eventually(
      () => perAccount(`SELECT stripe_account_id AS account, count(*)::int AS n FROM invoices GROUP BY 1`),
      (synced) => Object.keys(synced).length > 0,
      'worker A to write some invoices',
      60_000,
    );
    const killedWhile = (await jobRows()).filter((job) => job.state === 'active').map((job) => job.account);
    a.child.kill('SIGKILL');
    expect(await a.exited).toBeNull(); // killed by the signal: no shutdown hook ran
    expect(a.child.signalCode).toBe('SIGKILL');
    // B starts once A is dead, so every job A held can only come back through pg-boss's expiry.
    const b = await startWorker('b', 2);

    await eventually(unfinished, (jobs) => jobs.length === 0, "worker B to run every job, A's retried ones included", 240_000);
    const jobs = await jobRows();
    for (const account of killedWhile) {
      const job = jobs.find((row) => row.id === ids.get(account))!;
      expect(job).toMatchObject({ state: 'completed' });
      expect(job.retry_count).toBeGreaterThanOrEqual(1); // A's attempt expired, B's retry ran it
      expect(job.output).toMatchObject({ account, pid: b.child.pid, failed: [] });
    }
    expect(jobs.filter((job) => job.state === 'failed')).toEqual([]);
    expect(await boss.getQueueSize(PIPELINE_DEAD_LETTER_OPTIONS.name)).toBe(0);

    // Nothing lost: every invoice of every account is in its ledger, every client assessed.
    for (const account of accounts) {
      const stripe = createStripeClient({ secretKey: account.secretKey, apiBase: env.STRIPE_API_BASE });
      let invoices = 0;
      for await (const _invoice of stripe.invoices.list({ limit: 100 })) invoices += 1;
      let clients = 0;
      for await (const _customer of stripe.customers.list({ limit: 100 })) clients += 1;
      const [ledger] = (await db.dataSource.query(
        `SELECT (SELECT count(*)::int FROM invoices WHERE stripe_account_id = $1) AS invoices,
                (SELECT count(*)::int FROM clients WHERE stripe_account_id = $1) AS clients,
                (SELECT count(DISTINCT client_id)::int FROM risk_assessments r JOIN clients c ON c.id = r.client_id WHERE c.stripe_account_id = $1) AS assessed`,
        [account.accountId],
      )) as { invoices: number; clients: number; assessed: number }[];
      expect({ account: account.accountId, ...ledger }).toEqual({ account: account.accountId, invoices, clients, assessed: clients });
    }

    // Nothing doubled: no client has two actions of one kind for one invoice, no email is queued twice.
    expect(
      await db.dataSource.query(
        `SELECT stripe_account_id, client_id, kind, invoice_id, count(*)::int AS n FROM actions GROUP BY 1, 2, 3, 4 HAVING count(*) > 1`,
      ),
    ).toEqual([]);
    expect(await db.dataSource.query(`SELECT kind, client_id, subject, count(*)::int AS n FROM outbox_messages GROUP BY 1, 2, 3 HAVING count(*) > 1`)).toEqual(
      [],
    );
    const after = await counts();
    expect(Object.keys(after.actions).sort()).toEqual(accounts.map((account) => account.accountId).sort()); // every account had its policies run
    process.stdout.write(`kill -9 test, per account after the retried runs: ${JSON.stringify(after)}\n`);

    // A further round for every account (B alone) adds nothing.
    for (const account of accounts) await boss.send(PIPELINE_QUEUE, { account: account.accountId }, { singletonKey: account.accountId, ...FAST });
    await eventually(unfinished, (left) => left.length === 0, 'the further round to finish', 120_000);
    expect(await counts()).toEqual(after);
  }, 600_000);
});
