import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { runForAccount } from '../src/database/account-scope';
import { migrateDatabase } from '../src/database/migrate';
import { scopeConnections } from '../src/database/scoped-connections';
import { RiskAssessmentService } from '../src/risk/risk-assessment.service';
import { openBenchDatabase } from './bench-database';

/**
 * `npm run bench:detect`: 50,000 clients with 1,000,000 invoices (plus credit notes,
 * discount requests and disputes), generated set-based in PostgreSQL; then a full
 * assessment (target < 15 s) and, after 1,000 clients' data changed the way a sync
 * changes it, an incremental one (target < 2 s). Uses an embedded PostgreSQL in a temp
 * folder, or a scratch database on the server of DATABASE_URL (dropped at the end).
 */
const CLIENTS = Number(process.env.BENCH_DETECT_CLIENTS ?? 50_000);
const INVOICES_PER_CLIENT = Number(process.env.BENCH_DETECT_INVOICES_PER_CLIENT ?? 20);
const TOUCHED = Math.min(CLIENTS, Number(process.env.BENCH_DETECT_TOUCHED ?? 1_000));
const FULL_TARGET_S = 15;
const INCREMENTAL_TARGET_S = 2;

/**
 * One business's ledger, all in SQL. Clients follow personas by `c % 20` (12 punctual,
 * 3 chronic late, 1 slipping, 1 in arrears, 1 haggler, 1 paying in yen, 1 on card
 * payments in usd); per-invoice noise comes from hashint4 so every run sees the same data.
 * Invoices are spread over the last year, so all of them fall inside the lookback.
 */
export async function generate(dataSource: DataSource, now: Date): Promise<void> {
  const params = [now.toISOString(), CLIENTS, INVOICES_PER_CLIENT];
  await dataSource.query(
    `INSERT INTO clients (id, stripe_account_id, name, email, currency, stripe_created_at, synced_at)
     SELECT 'cus_b' || lpad(c::text, 7, '0'), 'acct_bench', 'Client ' || c, 'billing' || c || '@example.com',
            CASE c % 20 WHEN 18 THEN 'jpy' WHEN 19 THEN 'usd' ELSE 'eur' END,
            $1::timestamptz - interval '800 days', $1::timestamptz - interval '1 day'
       FROM generate_series(1, $2::int) AS c`,
    params.slice(0, 2),
  );
  await dataSource.query(
    `WITH raw AS (
       SELECT c, k, c % 20 AS persona, abs(hashint4(c * 131 + k)) % 1000 AS noise,
              $1::timestamptz - ((($3::int - k) * 365 / $3::int) + 30) * interval '1 day' - (c % 24) * interval '1 hour' AS created
         FROM generate_series(1, $2::int) AS c, generate_series(1, $3::int) AS k),
     shaped AS (
       SELECT *, created + interval '30 days' AS due,
              CASE WHEN persona = 18 THEN 'jpy' WHEN persona = 19 THEN 'usd' ELSE 'eur' END AS currency,
              CASE WHEN persona = 18 THEN 100000 + noise * 100 ELSE 100000 + noise * 50 END AS subtotal,
              CASE WHEN persona = 17 AND noise % 3 = 0 THEN 10000 ELSE 0 END AS discount,
              CASE
                WHEN noise < 15 THEN 'void'
                WHEN noise < 25 AND k < $3::int - 2 THEN 'uncollectible'
                WHEN k = $3::int AND noise % 2 = 0 THEN 'open'
                WHEN persona = 16 AND k >= $3::int - 2 THEN 'open'
                ELSE 'paid' END AS status,
              CASE
                WHEN persona IN (12, 13, 14) THEN 10 + noise % 30
                WHEN persona = 15 AND k >= $3::int - 3 THEN 12 + noise % 20
                WHEN noise % 50 = 7 THEN 40
                ELSE noise % 5 - 2 END AS lateness
         FROM raw)
     INSERT INTO invoices (id, stripe_account_id, client_id, number, status, collection_method, currency, subtotal, total, total_discount,
                           amount_due, amount_paid, amount_remaining, attempt_count, stripe_created_at, finalized_at, due_at, paid_at, voided_at,
                           marked_uncollectible_at, synced_at)
     SELECT 'in_b' || lpad(c::text, 7, '0') || '_' || lpad(k::text, 3, '0'), 'acct_bench', 'cus_b' || lpad(c::text, 7, '0'),
            'B' || c || '-' || k, status, CASE WHEN persona = 19 THEN 'charge_automatically' ELSE 'send_invoice' END, currency,
            subtotal, subtotal - discount, discount, subtotal - discount,
            CASE WHEN status = 'paid' THEN subtotal - discount ELSE 0 END,
            CASE WHEN status IN ('open', 'uncollectible') THEN subtotal - discount ELSE 0 END,
            CASE WHEN status = 'paid' THEN 1 WHEN persona = 19 AND status = 'open' THEN 3 ELSE 0 END,
            created, created,
            CASE WHEN persona = 19 THEN created ELSE due END,
            CASE WHEN status = 'paid' THEN (CASE WHEN persona = 19 THEN created ELSE due END) + lateness * interval '1 day' END,
            CASE WHEN status = 'void' THEN created + interval '2 days' END,
            CASE WHEN status = 'uncollectible' THEN due + interval '60 days' END,
            $1::timestamptz - interval '1 day'
       FROM shaped`,
    params,
  );
  // Credit notes: hagglers get one on most invoices, everyone else on about 3 % of them.
  await dataSource.query(
    `INSERT INTO credit_notes (id, stripe_account_id, client_id, invoice_id, status, type, reason, currency, amount, reduces_owed, stripe_created_at, synced_at)
     SELECT 'cn_' || i.id, i.stripe_account_id, i.client_id, i.id, 'issued', 'post_payment',
            CASE WHEN abs(hashint4(length(i.id) + i.subtotal::int)) % 4 = 0 THEN 'duplicate' ELSE 'order_change' END,
            i.currency, i.total / 10, abs(hashint4(length(i.id) + i.subtotal::int)) % 4 <> 0,
            i.stripe_created_at + interval '40 days', $1::timestamptz - interval '1 day'
       FROM invoices i
      WHERE i.status = 'paid' AND (right(i.client_id, 7)::int % 20 = 17 OR abs(hashint4(i.subtotal::int + i.total_discount::int + length(i.number))) % 100 < 3)
        AND i.stripe_created_at + interval '40 days' < $1::timestamptz`,
    params.slice(0, 1),
  );
  await dataSource.query(
    `INSERT INTO discount_requests (stripe_account_id, client_id, currency, amount, note, requested_at, created_by, created_at)
     SELECT 'acct_bench', 'cus_b' || lpad(c::text, 7, '0'), 'eur', 5000 + r * 1000, 'asked for a discount', $1::timestamptz - (r * 40) * interval '1 day', 'api',
            $1::timestamptz - interval '1 day'
       FROM generate_series(1, $2::int) AS c, generate_series(1, 4) AS r
      WHERE c % 20 = 17 OR c % 97 = 0`,
    params.slice(0, 2),
  );
  await dataSource.query(
    `INSERT INTO disputes (id, stripe_account_id, client_id, invoice_id, currency, amount, reason, status, stripe_created_at, synced_at)
     SELECT 'dp_' || i.id, 'acct_bench', i.client_id, i.id, i.currency, i.total, 'fraudulent',
            CASE WHEN i.subtotal % 3 = 0 THEN 'lost' ELSE 'needs_response' END, i.paid_at + interval '5 days', $1::timestamptz - interval '1 day'
       FROM invoices i
      WHERE i.status = 'paid' AND i.id LIKE '%_005' AND i.client_id LIKE '%1'`,
    params.slice(0, 1),
  );
  await dataSource.query('VACUUM ANALYZE');
}

/**
 * Changes 1,000 clients' ledger data as a sync or the owner would: an open invoice paid
 * (upsert sets synced_at = now()), a new credit note, a newly logged discount request,
 * and a client renamed. The service calls a client "changed" when any of its facts was
 * synced (or logged) after its last assessment.
 */
async function touch(dataSource: DataSource): Promise<number> {
  const step = Math.max(1, Math.floor(CLIENTS / TOUCHED));
  const picked = `SELECT 'cus_b' || lpad((t * ${step})::text, 7, '0') AS id, t FROM generate_series(1, ${TOUCHED}) AS t`;
  await dataSource.query(
    `UPDATE invoices i SET status = 'paid', amount_paid = i.total, amount_remaining = 0, paid_at = now(), synced_at = now()
       FROM (${picked}) p
      WHERE i.client_id = p.id AND p.t % 4 = 0 AND i.id = (SELECT max(id) FROM invoices WHERE client_id = p.id)`,
  );
  await dataSource.query(
    `INSERT INTO credit_notes (id, stripe_account_id, client_id, invoice_id, status, type, reason, currency, amount, reduces_owed, stripe_created_at)
     SELECT 'cn_touch_' || p.t, 'acct_bench', p.id, (SELECT max(id) FROM invoices WHERE client_id = p.id), 'issued', 'post_payment', 'order_change', 'eur', 1000, true, now()
       FROM (${picked}) p WHERE p.t % 4 = 1`,
  );
  await dataSource.query(
    `INSERT INTO discount_requests (stripe_account_id, client_id, currency, amount, note, requested_at, created_by)
     SELECT 'acct_bench', p.id, 'eur', 2500, 'asked again', now(), 'api' FROM (${picked}) p WHERE p.t % 4 = 2`,
  );
  await dataSource.query(`UPDATE clients c SET name = c.name || ' Ltd', synced_at = now() FROM (${picked}) p WHERE c.id = p.id AND p.t % 4 = 3`);
  return TOUCHED;
}

/**
 * CPU seconds spent by the PostgreSQL processes under this one (the embedded server; null on
 * DATABASE_URL, whose server other work shares): its live processes' own time plus what the
 * processes it already reaped used (parallel workers exit after each query). On a loaded
 * machine this, with this process's CPU, is what the run costs; wall time is mostly waiting.
 */
function postgresCpuSeconds(): number | null {
  if (process.env.DATABASE_URL || process.platform !== 'linux') return null;
  const stats: Array<{ pid: number; ppid: number; comm: string; own: number; reaped: number }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = text.lastIndexOf(')');
      const fields = text.slice(close + 2).split(' ');
      // Fields after "(comm)": state ppid … utime(12) stime(13) cutime(14) cstime(15), in clock ticks.
      stats.push({
        pid: Number(entry),
        ppid: Number(fields[1]),
        comm: text.slice(text.indexOf('(') + 1, close),
        own: Number(fields[11]) + Number(fields[12]),
        reaped: Number(fields[13]) + Number(fields[14]),
      });
    } catch {
      // The process ended while we read: its time is in its parent's reaped figure.
    }
  }
  const children = new Map<number, typeof stats>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  let ticks = 0;
  const walk = (pid: number, underPostgres: boolean) => {
    for (const child of children.get(pid) ?? []) {
      const isPostgres = underPostgres || child.comm.startsWith('postgres');
      if (isPostgres) ticks += child.own + child.reaped;
      walk(child.pid, isPostgres);
    }
  };
  walk(process.pid, false);
  return ticks / 100; // USER_HZ is 100 on Linux
}

/**
 * Samples resident memory and heap while `work` runs (`maxRSS` alone would include data
 * generation), and this process's CPU time: on a shared machine wall time reads high, CPU
 * time much less so. Postgres's own work is in the wall time only.
 */
async function measured<T>(
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; cpuSeconds: number; postgresCpuSeconds: number | null; peakRssMb: number; peakHeapMb: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const timer = setInterval(sample, 20);
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const postgresBefore = postgresCpuSeconds();
  try {
    const result = await work();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    const postgresAfter = postgresCpuSeconds();
    sample();
    return {
      result,
      seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      postgresCpuSeconds: postgresBefore === null || postgresAfter === null ? null : postgresAfter - postgresBefore,
      peakRssMb: peakRss / 1024 / 1024,
      peakHeapMb: peakHeap / 1024 / 1024,
    };
  } finally {
    clearInterval(timer);
  }
}

async function main(): Promise<void> {
  const database = await openBenchDatabase('detect');
  const dataSource = new DataSource(dataSourceOptions(database.url));
  try {
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    const generatedAt = new Date();
    const genStart = process.hrtime.bigint();
    await generate(dataSource, generatedAt);
    const [counts] = await dataSource.query(
      `SELECT (SELECT count(*) FROM clients)::int AS clients, (SELECT count(*) FROM invoices)::int AS invoices,
              (SELECT count(*) FROM credit_notes)::int AS credit_notes, (SELECT count(*) FROM discount_requests)::int AS discount_requests,
              (SELECT count(*) FROM disputes)::int AS disputes`,
    );
    console.log(
      `generated ${counts.clients} clients, ${counts.invoices} invoices, ${counts.credit_notes} credit notes, ${counts.discount_requests} discount requests, ${counts.disputes} disputes in ${(Number(process.hrtime.bigint() - genStart) / 1e9).toFixed(1)} s`,
    );

    // From here on as the server runs detection: the application's role, in the account's scope (row-level
    // security). BENCH_ROLE=owner keeps the connecting superuser, whom row-level security passes by: the A/B of its cost.
    const role = process.env.BENCH_ROLE === 'owner' ? 'owner' : 'app';
    scopeConnections(dataSource, { role });
    console.log(`connections as ${role === 'app' ? 'payrisk_app (row-level security applies)' : 'the owner (row-level security bypassed)'}`);
    const inScope = <T>(work: () => Promise<T>) => runForAccount('acct_bench', work);
    const service = new RiskAssessmentService(dataSource, loadConfig({}).policy.detection);
    console.log(`load average ${loadavg()[0].toFixed(2)} on ${cpus().length} cores before the runs (other work on the machine slows the figures)`);
    const inPostgres = (run: { postgresCpuSeconds: number | null }) =>
      run.postgresCpuSeconds === null ? '' : `, ${run.postgresCpuSeconds.toFixed(2)} s CPU in PostgreSQL`;
    const full = await measured(() => inScope(() => service.run(new Date(), { full: true })));
    const [levels] = await inScope(() =>
      dataSource.query(
        `SELECT count(*) FILTER (WHERE level = 'ok')::int AS ok, count(*) FILTER (WHERE level = 'watch')::int AS watch,
              count(*) FILTER (WHERE level = 'risky')::int AS risky, count(*) FILTER (WHERE level = 'critical')::int AS critical
         FROM risk_assessments WHERE run_id = $1`,
        [full.result.runId],
      ),
    );
    console.log(
      `full:        ${full.result.assessed} clients in ${full.seconds.toFixed(2)} s (${Math.round(full.result.assessed / full.seconds)} clients/s, ${full.cpuSeconds.toFixed(2)} s CPU in this process${inPostgres(full)}); ` +
        `peak RSS ${full.peakRssMb.toFixed(0)} MB, peak heap ${full.peakHeapMb.toFixed(0)} MB; levels ok ${levels.ok}, watch ${levels.watch}, risky ${levels.risky}, critical ${levels.critical}`,
    );

    await inScope(() => touch(dataSource));
    const incremental = await measured(() => inScope(() => service.run(new Date())));
    console.log(
      `incremental: ${incremental.result.assessed} clients (${TOUCHED} touched) in ${incremental.seconds.toFixed(2)} s (${incremental.cpuSeconds.toFixed(2)} s CPU in this process${inPostgres(incremental)}); peak RSS ${incremental.peakRssMb.toFixed(0)} MB`,
    );
    const ratio = (seconds: number, target: number) => `${(seconds / target).toFixed(2)} × ${target} s`;
    console.log(
      `ratios to targets (below 1 meets the target): wall full ${ratio(full.seconds, FULL_TARGET_S)}, incremental ${ratio(incremental.seconds, INCREMENTAL_TARGET_S)}; ` +
        `CPU in this process full ${ratio(full.cpuSeconds, FULL_TARGET_S)}, incremental ${ratio(incremental.cpuSeconds, INCREMENTAL_TARGET_S)} ` +
        `(wall includes Postgres and waiting for a core: load ${loadavg()[0].toFixed(2)} on ${cpus().length} cores now)`,
    );
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.close();
  }
}

// Run as a script; imported (to reuse the generator in an experiment), it only exports.
if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
