import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { migrateDatabase } from '../src/database/migrate';
import { createApp } from '../src/runtime/start-server';
import { openBenchDatabase } from './bench-database';

/**
 * `npm run bench:dashboard`: 50,000 clients × 20 monthly invoices = 1,000,000 invoices and two
 * assessments per client, generated set-based; then the API calls behind each dashboard page
 * over HTTP, p50 and p95. Targets: clients page (first page, filtered, sorted) and client page
 * < 300 ms, overview < 1 s, each with its ratio to the target and the time the call's statements
 * take inside PostgreSQL (EXPLAIN ANALYZE), to tell query cost from a loaded machine. Also the
 * overview's first call (past months computed) and after a sync pays 1,000 invoices, and the
 * built bundle's gzip size (aim < 300 KB first load).
 */
const CLIENTS = Number(process.env.BENCH_DASHBOARD_CLIENTS ?? 50_000);
const MONTHS = 20;
const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 20);
const TOKEN = 'bench-token-0123456789abcdef';

const GENERATE = [
  `INSERT INTO clients (id, stripe_account_id, name, email, currency, stripe_created_at, work_status)
   SELECT 'cus_b' || c, 'acct_bench', 'Client ' || c, 'c' || c || '@example.com', CASE WHEN c % 5 = 0 THEN 'usd' ELSE 'eur' END, '2024-01-01',
          CASE WHEN c % 97 = 0 THEN 'paused' ELSE 'active' END
     FROM generate_series(1, $1::int) c`,
  `INSERT INTO invoices (id, stripe_account_id, client_id, number, status, collection_method, currency, subtotal, total, amount_due, amount_paid, amount_remaining,
                         stripe_created_at, finalized_at, due_at, paid_at)
   SELECT 'in_b_' || c || '_' || m, 'acct_bench', 'cus_b' || c, 'B-' || c || '-' || m,
          CASE WHEN m = $2::int - 1 AND c % 3 = 0 THEN 'open' ELSE 'paid' END, 'send_invoice', CASE WHEN c % 5 = 0 THEN 'usd' ELSE 'eur' END,
          100000 + (c % 7) * 1000, 100000 + (c % 7) * 1000, 100000 + (c % 7) * 1000,
          CASE WHEN m = $2::int - 1 AND c % 3 = 0 THEN 0 ELSE 100000 + (c % 7) * 1000 END,
          CASE WHEN m = $2::int - 1 AND c % 3 = 0 THEN 100000 + (c % 7) * 1000 ELSE 0 END,
          d, d, d + interval '30 days',
          CASE WHEN m = $2::int - 1 AND c % 3 = 0 THEN NULL ELSE d + interval '30 days' + ((c * m) % 25) * interval '1 day' END
     FROM generate_series(1, $1::int) c CROSS JOIN generate_series(0, $2::int - 1) m
     CROSS JOIN LATERAL (SELECT now() - interval '40 days' - ($2::int - 1 - m) * interval '1 month' AS d) t`,
  `INSERT INTO risk_assessments (run_id, client_id, stripe_account_id, assessed_at, score, level, flags, metrics, evidence, reasons, factors, predictions)
   SELECT gen_random_uuid(), 'cus_b' || c, 'acct_bench', now() - n * interval '7 days', (c * (n + 1)) % 100,
          CASE WHEN (c * (n + 1)) % 100 < 25 THEN 'ok' WHEN (c * (n + 1)) % 100 < 50 THEN 'watch' WHEN (c * (n + 1)) % 100 < 75 THEN 'risky' ELSE 'critical' END,
          CASE WHEN c % 4 = 0 THEN '{chronic_late_payer}'::text[] WHEN c % 4 = 1 THEN '{arrears}'::text[] ELSE '{}'::text[] END,
          jsonb_build_object('lateShare', (c % 10) / 10.0, 'medianDaysLate', c % 25, 'oldestArrearsDays', CASE WHEN c % 3 = 0 THEN 10 ELSE 0 END,
                             'arrears', CASE WHEN c % 3 = 0 THEN jsonb_build_array(jsonb_build_object('amount', 100000, 'currency', 'eur')) ELSE '[]'::jsonb END,
                             'discounts', jsonb_build_object('shareOfBilling', (c % 20) / 100.0)),
          CASE WHEN c % 4 = 0 THEN jsonb_build_object('chronic_late_payer', jsonb_build_array(jsonb_build_object('kind', 'invoice', 'id', 'in_b_' || c || '_1', 'amount', jsonb_build_object('amount', 100000, 'currency', 'eur'), 'date', '2026-01-01', 'daysLate', 20))) ELSE '{}'::jsonb END,
          CASE WHEN c % 4 = 0 THEN '{"chronic_late_payer": "paid 8 of the last 12 invoices late"}'::jsonb ELSE '{}'::jsonb END,
          '[]',
          CASE WHEN c % 3 = 0 THEN jsonb_build_array(jsonb_build_object('invoiceId', 'in_b_' || c || '_' || ($2::int - 1), 'amount', jsonb_build_object('amount', 100000, 'currency', 'eur'),
               'dueDate', to_char(now() - interval '10 days', 'YYYY-MM-DD'), 'expectedDate', to_char(now() + (c % 20) * interval '1 day', 'YYYY-MM-DD'),
               'earliest', to_char(now(), 'YYYY-MM-DD'), 'latest', to_char(now() + interval '20 days', 'YYYY-MM-DD'), 'basedOn', 12)) ELSE '[]'::jsonb END
     FROM generate_series(1, $1::int) c CROSS JOIN generate_series(1, 0, -1) n`,
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main(): Promise<void> {
  const db = await openBenchDatabase('dashboard');
  try {
    const dataSource = new DataSource(dataSourceOptions(db.url));
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    const started = Date.now();
    for (const sql of GENERATE) await dataSource.query(sql.replaceAll('$1::int', String(CLIENTS)).replaceAll('$2::int', String(MONTHS)));
    await dataSource.query('ANALYZE');
    console.log(`generated ${CLIENTS} clients, ${CLIENTS * MONTHS} invoices, ${CLIENTS * 2} assessments in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await dataSource.destroy();

    const home = mkdtempSync(join(tmpdir(), 'payrisk-bench-home-'));
    // The default policy with every cron moved to New Year's midnight: no alert or detect tick competes with the measurements.
    const policy = join(home, 'bench-policy.yaml');
    writeFileSync(
      policy,
      readFileSync(resolve(__dirname, '..', '..', 'config', 'default.yaml'), 'utf8').replace(
        /^( {2}(syncCatchUp|detect|policies|outbox): ).*$/gm,
        '$1"0 0 1 1 *"',
      ),
    );
    const config = loadConfig(
      { PAYRISK_HOME: home, PAYRISK_CONFIG: policy, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent', API_TOKEN: TOKEN, DATABASE_URL: db.url },
      process.cwd(),
    );
    const app = await createApp(config, db.url, pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }));
    await app.listen(0, '127.0.0.1');
    const base = await app.getUrl();
    const appData = app.get(DataSource);
    // Server-side cost: the SELECTs one API call ran, replayed under EXPLAIN ANALYZE (time inside PostgreSQL, no HTTP, no pool waits).
    let captured: { sql: string; params?: unknown[] }[] | undefined;
    const query = appData.manager.query.bind(appData.manager);
    appData.manager.query = (async (sql: string, params?: unknown[]) => {
      if (captured && /^\s*(SELECT|WITH)\b/i.test(sql) && !/\b(INSERT|UPDATE|DELETE)\b/i.test(sql)) captured.push({ sql, params });
      return query(sql, params);
    }) as typeof appData.manager.query;
    const get = async (path: string) => {
      const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      const body = await response.text();
      if (!response.ok) throw new Error(`${path}: ${response.status} ${body.slice(0, 500)}`);
    };
    const timed = async (path: string) => {
      const t0 = performance.now();
      await get(path);
      return performance.now() - t0;
    };
    const serverSide = async (path: string) => {
      const sums: number[] = [];
      let slowest = 0;
      let slowestSql = '';
      for (let i = 0; i < 3; i += 1) {
        captured = [];
        await get(path);
        const statements = captured;
        captured = undefined;
        let sum = 0;
        for (const { sql, params } of statements) {
          const [
            {
              'QUERY PLAN': [plan],
            },
          ] = (await query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)) as { 'QUERY PLAN': { 'Execution Time': number; 'Planning Time': number }[] }[];
          const ms = plan['Execution Time'] + plan['Planning Time'];
          sum += ms;
          if (ms > slowest) [slowest, slowestSql] = [ms, sql.replace(/\s+/g, ' ').trim().slice(0, 60)];
        }
        sums.push(sum);
      }
      sums.sort((a, b) => a - b);
      return { sum: sums[1], slowest, slowestSql };
    };
    const ratio = (ms: number, target: number) => `${(ms / target).toFixed(2)}× target`;

    // First overview: computes and stores the 11 past months (once; afterwards only months the ledger changed).
    const cold = await timed('/api/dashboard/overview');
    console.log(`${'overview, first call (computes 11 past months)'.padEnd(50)} ${cold.toFixed(0).padStart(5)} ms  (${ratio(cold, 1000)}, once)`);

    const calls: [string, string, number][] = [
      ['overview', '/api/dashboard/overview', 1000],
      ['clients: first page', '/api/dashboard/clients', 300],
      ['clients: filtered (risky + chronic_late_payer)', '/api/dashboard/clients?level=risky&flag=chronic_late_payer', 300],
      ['clients: sorted by median days late, page 20', '/api/dashboard/clients?sort=medianDaysLate&dir=desc&page=20', 300],
      ['clients: name search', '/api/dashboard/clients?q=Client%204242', 300],
      ['client page', '/api/dashboard/clients/cus_b4', 300],
      ['actions inbox', '/api/dashboard/actions?status=proposed', 300],
    ];
    let failed = false;
    for (const [label, path, target] of calls) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i += 1) times.push(await timed(path));
      times.sort((a, b) => a - b);
      const [p50, p95] = [percentile(times, 50), percentile(times, 95)];
      if (p95 > target) failed = true;
      const db = await serverSide(path);
      console.log(
        `${label.padEnd(50)} p50 ${p50.toFixed(0).padStart(5)} ms (${ratio(p50, target)})  p95 ${p95.toFixed(0).padStart(5)} ms (${ratio(p95, target)})  target < ${target} ms ${p95 <= target ? 'ok' : 'SLOW'}` +
          `  | in PostgreSQL: ${db.sum.toFixed(0)} ms summed over the call's statements, slowest ${db.slowest.toFixed(0)} ms (${db.slowestSql}…)`,
      );
    }

    // A sync lands: 1,000 clients pay last month's open invoice; the overview recomputes only the month(s) that changed.
    await query(
      `UPDATE invoices SET status = 'paid', amount_paid = amount_due, amount_remaining = 0, paid_at = now()
        WHERE status = 'open' AND client_id IN (SELECT 'cus_b' || c FROM generate_series(3, 3000, 3) c)`,
    );
    const stale = (await query(`SELECT count(*)::int AS n FROM dashboard_months WHERE NOT fresh`)) as { n: number }[];
    const afterSync = await timed('/api/dashboard/overview');
    const warmAgain = await timed('/api/dashboard/overview');
    console.log(
      `${'overview after 1,000 invoices paid'.padEnd(50)} ${afterSync.toFixed(0).padStart(5)} ms (${ratio(afterSync, 1000)}; ${stale[0].n} month(s) recomputed), next call ${warmAgain.toFixed(0)} ms`,
    );
    await app.close();

    const assets = resolve(__dirname, '..', 'web', 'assets');
    const files = readdirSync(assets);
    const size = (f: string) => gzipSync(readFileSync(join(assets, f))).length;
    const first = files.filter((f) => /^(index|rolldown-runtime)-.*\.(js|css)$/.test(f)).reduce((sum, f) => sum + size(f), 0);
    const charts = files.filter((f) => f.startsWith('echarts-')).reduce((sum, f) => sum + size(f), 0);
    const all = files.reduce((sum, f) => sum + size(f), 0);
    console.log(
      `bundle (gzip): first load ${(first / 1024).toFixed(0)} KB, + charts ${(charts / 1024).toFixed(0)} KB on the overview = ${((first + charts) / 1024).toFixed(0)} KB (aim < 300 KB: first load ${(first / 1024 / 300).toFixed(2)}×, with charts ${((first + charts) / 1024 / 300).toFixed(2)}×); all assets ${(all / 1024).toFixed(0)} KB`,
    );
    if (failed) process.exitCode = 1;
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
