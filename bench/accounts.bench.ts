import { spawn, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import type PgBossType from 'pg-boss';
import { DataSource } from 'typeorm';
import { addAccount } from '../src/accounts/add-account';
import { dataSourceOptions } from '../src/database/data-source-options';
import { migrateDatabase } from '../src/database/migrate';
import { JOBS_SCHEMA } from '../src/jobs/job-queue';
import { PIPELINE_DEAD_LETTER_OPTIONS, PIPELINE_QUEUE, PIPELINE_QUEUE_OPTIONS } from '../src/jobs/pipeline-queue';
import { startSandboxSeededBy } from '../src/sandbox/sandbox';
import { seedScenario } from '../src/sandbox/scenario/seed-scenario';
import { createStripeClient } from '../src/stripe/stripe-client.factory';
import { openBenchDatabase } from './bench-database';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const PgBoss = require('pg-boss') as typeof PgBossType;

/**
 * `npm run bench:accounts [-- --accounts N --invoices M --hot H --concurrency C]`: N accounts ×
 * M invoices (default 200 × 1,000) on one sandbox, each onboarded from an empty ledger (backfill,
 * detection, policies: one pipeline job per account) by `payrisk worker` processes (the built CLI)
 * on one PostgreSQL, three times on a fresh database each:
 *  1. one worker process, 2. two worker processes (the ratio of 1 to 2 is the scale-out),
 *  3. two worker processes with a hot account (H invoices, default 100,000) queued first: the
 *     others' sync latency (enqueue → their last invoice written) against run 2's.
 * Each worker runs C jobs at once (default 4). Totals run from the first job's start to the last
 * one's end (worker boot excluded); per-account figures from that start to the account's job end.
 */
const CLI = resolve(__dirname, '..', 'src', 'cli.js');
const INVOICES_PER_CLIENT = 20;

const flag = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name}: expected a whole number (got ${process.argv[index + 1]})`);
  return value;
};

interface SandboxReady {
  url: string;
  accounts: { accountId: string; secretKey: string }[];
}

/**
 * The sandbox in its own process, as `payrisk sandbox` would run: first a one-client account whose
 * key the workers start with (STRIPE_SECRET_KEY, kept out of the figures), then N accounts of M
 * invoices, then the hot one.
 */
async function serve(accounts: number, invoices: number, hot: number): Promise<void> {
  let index = 0;
  const sandbox = await startSandboxSeededBy(
    (billing, options) => {
      const at = index++;
      const size = at === 0 ? INVOICES_PER_CLIENT : hot > 0 && at === accounts + 1 ? hot : invoices;
      return seedScenario(billing, { ...options, seed: Math.max(1, Math.round(size / INVOICES_PER_CLIENT)) });
    },
    { port: 0, seed: 1, invoicesPerClient: INVOICES_PER_CLIENT, accounts: 1 + accounts + (hot > 0 ? 1 : 0) },
  );
  const listed = (await (await fetch(`${sandbox.url}/_sandbox/accounts`)).json()) as { accounts: { accountId: string; secretKey: string }[] };
  const ready: SandboxReady = { url: sandbox.url, accounts: listed.accounts.map(({ accountId, secretKey }) => ({ accountId, secretKey })) };
  process.send?.(ready);
  process.on('message', () => void sandbox.stop().then(() => process.exit(0)));
}

interface Run {
  label: string;
  totalSeconds: number;
  /** Per account (the hot one aside): seconds from the first job's start to its job's end. */
  doneSeconds: number[];
  /** Per account (the hot one aside): seconds from the first job's start to its last invoice written. */
  syncSeconds: number[];
  hotSeconds?: number;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

async function onboard(
  label: string,
  sandbox: SandboxReady,
  accounts: SandboxReady['accounts'],
  hot: SandboxReady['accounts'][number] | undefined,
  workers: number,
  concurrency: number,
): Promise<Run> {
  const database = await openBenchDatabase('accounts');
  const home = mkdtempSync(join(tmpdir(), 'payrisk-bench-accounts-'));
  const dataSource = new DataSource(dataSourceOptions(database.url));
  await dataSource.initialize();
  const processes: ChildProcess[] = [];
  const boss = new PgBoss({ connectionString: database.url, schema: JOBS_SCHEMA, supervise: false, schedule: false, max: 2 });
  boss.on('error', (error: Error) => console.error(`pg-boss: ${error.message}`));
  try {
    await migrateDatabase(dataSource);
    const dataKey = randomBytes(32);
    const all = hot ? [hot, ...accounts] : accounts;
    const policyFile = join(home, 'policies.yaml');
    writeFileSync(
      policyFile,
      'policies:\n  lateFee: { enabled: true, mode: approve, graceDays: 7 }\n  workPause: { enabled: true, mode: approve }\n  priceIncrease: { enabled: true, mode: approve }\n',
    );
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      STRIPE_API_BASE: sandbox.url,
      STRIPE_SECRET_KEY: sandbox.accounts[0].secretKey,
      PAYRISK_SECRET_KEY: dataKey.toString('base64'),
      PAYRISK_CONFIG: policyFile,
    };
    // Workers first, every one up before any account is added: the figures start when the jobs can all be taken.
    await Promise.all(
      Array.from({ length: workers }, (_, w) => {
        const child = spawn(process.execPath, [CLI, 'worker', '--concurrency', String(concurrency)], {
          env: { ...env, PAYRISK_HOME: join(home, `worker-${w}`) },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        processes.push(child);
        return new Promise<void>((up, fail) => {
          let printed = '';
          child.stdout.on('data', (chunk: Buffer) => {
            printed += chunk.toString();
            if (/worker pid \d+ running jobs/.test(printed)) up();
          });
          child.once('exit', (code) => fail(new Error(`${label}: worker ${w} exited with ${code} before it ran jobs`)));
        });
      }),
    );
    for (const [index, account] of all.entries()) {
      const stripe = createStripeClient({ secretKey: account.secretKey, apiBase: sandbox.url });
      await addAccount(
        dataSource.manager,
        { name: account === hot ? 'Hot account' : `Business ${index + 1}`, apiKey: account.secretKey },
        { stripe, dataKey, now: new Date(), cwd: home },
      );
    }
    await boss.start();
    await boss.createQueue(PIPELINE_DEAD_LETTER_OPTIONS.name, PIPELINE_DEAD_LETTER_OPTIONS);
    await boss.createQueue(PIPELINE_QUEUE, PIPELINE_QUEUE_OPTIONS);
    // The hot account first: it takes a slot before the others, the worst case for them.
    for (const account of all) await boss.send(PIPELINE_QUEUE, { account: account.accountId }, { singletonKey: account.accountId });
    const db = boss.getDb();
    for (;;) {
      const { rows } = await db.executeSql(`SELECT count(*)::int AS n FROM ${JOBS_SCHEMA}.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`, [
        PIPELINE_QUEUE,
      ]);
      if ((rows[0] as { n: number }).n === 0) break;
      if (processes.every((child) => child.exitCode !== null)) throw new Error(`${label}: every worker exited before the jobs were done`);
      await new Promise((done) => setTimeout(done, 250)); // a progress poll of the benchmark itself, not a synchronisation in a test
    }
    const { rows: jobs } = await db.executeSql(
      `SELECT singleton_key AS account, state, extract(epoch FROM started_on) AS started, extract(epoch FROM completed_on) AS completed FROM ${JOBS_SCHEMA}.job WHERE name = $1`,
      [PIPELINE_QUEUE],
    );
    const measured = new Set(all.map((account) => account.accountId));
    const rows = (jobs as { account: string; state: string; started: number; completed: number }[]).filter((row) => measured.has(row.account));
    const failed = rows.filter((row) => row.state !== 'completed');
    if (failed.length > 0) throw new Error(`${label}: ${failed.length} job(s) did not complete: ${JSON.stringify(failed.slice(0, 3))}`);
    const start = Math.min(...rows.map((row) => Number(row.started)));
    const end = Math.max(...rows.map((row) => Number(row.completed)));
    const synced = (await dataSource.query(`SELECT stripe_account_id AS account, extract(epoch FROM max(synced_at)) AS at FROM invoices GROUP BY 1`)) as {
      account: string;
      at: string;
    }[];
    const syncedAt = new Map(synced.map((row) => [row.account, Number(row.at)]));
    const others = rows.filter((row) => row.account !== hot?.accountId);
    const hotJob = rows.find((row) => row.account === hot?.accountId);
    return {
      label,
      totalSeconds: end - start,
      doneSeconds: others.map((row) => Number(row.completed) - start),
      syncSeconds: others.map((row) => (syncedAt.get(row.account) ?? NaN) - start),
      hotSeconds: hotJob ? Number(hotJob.completed) - start : undefined,
    };
  } finally {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(processes.map((child) => (child.exitCode === null ? new Promise((done) => child.once('exit', done)) : undefined)));
    await boss.stop({ graceful: false, close: true }).catch(() => undefined);
    await dataSource.destroy();
    await database.close();
    rmSync(home, { recursive: true, force: true });
  }
}

function report(run: Run): void {
  const hot = run.hotSeconds === undefined ? '' : `; hot account done at ${run.hotSeconds.toFixed(1)} s`;
  console.log(
    `${run.label}: total ${run.totalSeconds.toFixed(1)} s; per account p50 ${percentile(run.doneSeconds, 50).toFixed(1)} s, p95 ${percentile(run.doneSeconds, 95).toFixed(1)} s; ` +
      `sync latency p50 ${percentile(run.syncSeconds, 50).toFixed(1)} s, p95 ${percentile(run.syncSeconds, 95).toFixed(1)} s${hot}`,
  );
}

async function main(): Promise<void> {
  const accounts = flag('accounts', 200);
  const invoices = flag('invoices', 1_000);
  const hot = flag('hot', 100_000);
  const concurrency = flag('concurrency', 4);
  console.log(
    `bench:accounts: ${accounts} accounts × ${invoices} invoices, hot account ${hot} invoices, ${concurrency} jobs at once per worker; load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const child = fork(__filename, ['--serve', String(accounts), String(invoices), String(hot)], { stdio: 'inherit' });
  const sandbox = await new Promise<SandboxReady>((ready, fail) => {
    child.once('message', (message) => ready(message as SandboxReady));
    child.once('exit', (code) => fail(new Error(`sandbox process exited with ${code}`)));
  });
  try {
    const regular = sandbox.accounts.slice(1, accounts + 1);
    const hotAccount = hot > 0 ? sandbox.accounts[accounts + 1] : undefined;
    const one = await onboard('1 worker ', sandbox, regular, undefined, 1, concurrency);
    report(one);
    const two = await onboard('2 workers', sandbox, regular, undefined, 2, concurrency);
    report(two);
    console.log(`scale-out: 2 workers onboard ${(one.totalSeconds / two.totalSeconds).toFixed(2)}× as fast as 1 (aim ≥ 1.6×)`);
    if (hotAccount) {
      const withHot = await onboard('2 workers + hot', sandbox, regular, hotAccount, 2, concurrency);
      report(withHot);
      const ratio = percentile(withHot.syncSeconds, 95) / percentile(two.syncSeconds, 95);
      console.log(`hot account: the others' sync latency p95 is ${ratio.toFixed(2)}× that of the run without it (aim ≤ 2×)`);
    }
    console.log(
      `load after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    child.send('stop');
    await new Promise((done) => child.once('exit', done));
  }
}

if (process.argv[2] === '--serve') void serve(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
