import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { migrateDatabase } from '../src/database/migrate';
import { addDays, ReportPeriod } from '../src/reports/domain/report-period';
import type { ReportName } from '../src/reports/domain/report-table';
import { ReportsService } from '../src/reports/reports.service';
import { openBenchDatabase } from './bench-database';

/**
 * `npm run bench:reports`: 50,000 clients × 20 monthly invoices = 1,000,000 invoices (with
 * partial payments, older invoices without payment rows, credit notes, voids, write-offs,
 * coupons, logged requests, assessments and late fees), generated set-based with
 * generate_series; then every report, timed. Target: aging and behaviour under 5 s each.
 * Embedded PostgreSQL in a temp folder, or a scratch database on DATABASE_URL's server
 * (dropped at the end).
 */
const CLIENTS = Number(process.env.BENCH_REPORTS_CLIENTS ?? 50_000);
const MONTHS = Number(process.env.BENCH_REPORTS_INVOICES_PER_CLIENT ?? 20);
const TARGET_S = 5;
const AS_OF = '2026-11-25';
const SETTINGS = { graceDays: 3, reissueWindowDays: 30 };

/**
 * The whole ledger in a handful of INSERT … SELECT statements; numbers derive from (client,
 * month) so runs repeat. $1 clients, $2 months, $3 the as-of day: replaced by their literal
 * values (our own numbers and a fixed date) so every statement stays one plain SQL text.
 */
const GENERATE = [
  `INSERT INTO clients (id, stripe_account_id, name, currency, stripe_created_at)
   SELECT 'cus_b' || c, 'acct_bench', 'Client ' || c, CASE WHEN c % 5 = 0 THEN 'usd' ELSE 'eur' END, '2024-01-01'
     FROM generate_series(1, $1::int) c`,
  // Profiles by c % 10: 0–5 pay around the due date, 6–7 5–44 days late, 8 45–134 days late (oldest invoice written off), 9 haggles.
  `INSERT INTO invoices (id, stripe_account_id, client_id, number, status, collection_method, currency, subtotal, total, total_discount,
                         amount_due, amount_paid, amount_remaining, stripe_created_at, finalized_at, due_at, paid_at, voided_at, marked_uncollectible_at)
   SELECT 'in_b_' || c || '_' || m, 'acct_bench', 'cus_b' || c, 'B-' || c || '-' || m, x.status, 'send_invoice', x.currency,
          x.total + x.discount, x.total, x.discount, x.total - x.note,
          CASE WHEN x.status = 'paid' THEN x.total - x.note WHEN x.status IN ('open', 'uncollectible') AND c % 13 = 0 THEN (x.total - x.note) / 2 ELSE 0 END,
          CASE WHEN x.status = 'open' THEN x.total - x.note - CASE WHEN c % 13 = 0 THEN (x.total - x.note) / 2 ELSE 0 END
               WHEN x.status = 'uncollectible' THEN x.total - x.note ELSE 0 END,
          x.finalized, x.finalized, x.due, CASE WHEN x.status = 'paid' THEN x.paid END,
          CASE WHEN x.status = 'void' THEN x.finalized + interval '3 days' END,
          CASE WHEN x.status = 'uncollectible' THEN x.due + interval '60 days' END
     FROM generate_series(1, $1::int) c
    CROSS JOIN generate_series(0, $2::int - 1) m
    CROSS JOIN LATERAL (
      SELECT $3::timestamptz - ($2::int - m) * interval '1 month' + (c % 28) * interval '1 day' + interval '9 hours' AS finalized,
             CASE WHEN c % 5 = 0 THEN 'usd' ELSE 'eur' END AS currency,
             10000 + (c * 7919 + m * 104729) % 90000 AS total,
             CASE WHEN c % 10 = 9 AND m % 3 = 0 THEN 1000 ELSE 0 END AS discount,
             CASE WHEN (c * 31 + m) % 53 = 1 THEN 1000 ELSE 0 END AS note,
             CASE WHEN c % 10 <= 5 THEN (c * 7 + m * 13) % 9 - 4 WHEN c % 10 <= 7 THEN 5 + (c * 3 + m * 11) % 40
                  WHEN c % 10 = 8 THEN 45 + (c + m * 17) % 90 ELSE (c + m) % 20 END AS late) base
    CROSS JOIN LATERAL (
      SELECT base.finalized + interval '30 days' AS due, base.finalized + interval '30 days' + base.late * interval '1 day' + ((c + m) % 24) * interval '1 hour' AS paid) d
    CROSS JOIN LATERAL (
      SELECT base.currency, base.total, base.discount, base.note, base.finalized, d.due, d.paid,
             CASE WHEN (c + m) % 97 = 0 THEN 'void'
                  WHEN c % 10 = 8 AND m = 0 THEN 'uncollectible'
                  WHEN d.paid < $3::timestamptz THEN 'paid' ELSE 'open' END AS status) x`,
  // Payment rows for paid invoices, except clients synced before invoice payments existed (c % 10 = 1); c % 13 = 0 pays in two parts.
  `INSERT INTO invoice_payments (id, stripe_account_id, invoice_id, client_id, status, currency, amount_paid, amount_requested, paid_at, stripe_created_at)
   SELECT 'inpay_' || i.id || '_' || part, 'acct_bench', i.id, i.client_id, 'paid', i.currency,
          CASE WHEN parts = 1 THEN i.amount_paid WHEN part = 1 THEN i.amount_paid / 2 ELSE i.amount_paid - i.amount_paid / 2 END,
          i.amount_paid, CASE WHEN part = 1 AND parts = 2 THEN i.finalized_at + interval '5 days' ELSE i.paid_at END, i.finalized_at
     FROM invoices i
    CROSS JOIN LATERAL (SELECT split_part(i.id, '_', 3)::int AS c) k
    CROSS JOIN LATERAL (SELECT CASE WHEN k.c % 13 = 0 THEN 2 ELSE 1 END AS parts) p
    CROSS JOIN LATERAL generate_series(1, p.parts) part
    WHERE i.amount_paid > 0 AND k.c % 10 <> 1 AND (i.status = 'paid' OR part = 1)`,
  `INSERT INTO credit_notes (id, stripe_account_id, client_id, invoice_id, status, type, reason, currency, amount, reduces_owed, stripe_created_at)
   SELECT 'cn_' || i.id, 'acct_bench', i.client_id, i.id, 'issued', 'pre_payment', 'order_change', i.currency, i.total - i.amount_due, true, i.finalized_at + interval '5 days'
     FROM invoices i WHERE i.total > i.amount_due`,
  `INSERT INTO discount_requests (stripe_account_id, client_id, currency, amount, requested_at, created_by, created_at)
   SELECT 'acct_bench', 'cus_b' || c, CASE WHEN c % 5 = 0 THEN 'usd' ELSE 'eur' END, 5000, $3::timestamptz - n * interval '40 days', 'cli', $3::timestamptz - n * interval '40 days'
     FROM generate_series(9, $1::int, 9) c CROSS JOIN generate_series(1, 2) n`,
  `INSERT INTO risk_assessments (run_id, client_id, stripe_account_id, assessed_at, score, level, flags, metrics, evidence, reasons)
   SELECT gen_random_uuid(), 'cus_b' || c, 'acct_bench', $3::timestamptz - n * interval '7 days', (c % 10) * 10,
          CASE WHEN c % 10 <= 5 THEN 'ok' WHEN c % 10 <= 7 THEN 'watch' WHEN c % 10 = 8 THEN 'critical' ELSE 'risky' END,
          CASE WHEN c % 10 = 8 THEN '{chronic_late_payer,arrears}'::text[] WHEN c % 10 = 9 THEN '{repeated_discount_demands}'::text[] ELSE '{}'::text[] END,
          '{}', '{}', '{}'
     FROM generate_series(1, $1::int) c CROSS JOIN generate_series(0, 1) n`,
  // A late fee on every fourth invoice of the late payers, carried by the next month's invoice.
  `INSERT INTO actions (kind, client_id, stripe_account_id, status, invoice_id, amount, currency, dedupe_key, stripe_ids, proposed_at, applied_at, updated_at)
   SELECT 'late_fee', i.client_id, 'acct_bench', 'applied', i.id, 1500, i.currency, 'late_fee:' || i.id || ':0',
          jsonb_build_object('invoiceItem', 'ii_' || i.id, 'invoice', 'in_b_' || k.c || '_' || (k.m + 1)),
          i.due_at + interval '15 days', i.due_at + interval '16 days', i.due_at + interval '16 days'
     FROM invoices i
    CROSS JOIN LATERAL (SELECT split_part(i.id, '_', 3)::int AS c, split_part(i.id, '_', 4)::int AS m) k
    WHERE k.c % 10 IN (6, 7, 8) AND k.m % 4 = 0 AND i.due_at + interval '16 days' < $3::timestamptz`,
  `INSERT INTO action_audit (action_id, from_status, to_status, actor, at)
   SELECT a.id, s.from_status, s.to_status, 'system', s.at
     FROM actions a
    CROSS JOIN LATERAL (VALUES (NULL, 'proposed', a.proposed_at), ('proposed', 'approved', a.applied_at), ('approved', 'applied', a.applied_at)) s(from_status, to_status, at)`,
];

async function seconds<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const result = await work();
  return [Number(process.hrtime.bigint() - start) / 1e9, result];
}

async function main(): Promise<void> {
  const database = await openBenchDatabase('reports');
  const dataSource = new DataSource(dataSourceOptions(database.url));
  const stop = () => void database.close().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  try {
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    const [generateS] = await seconds(async () => {
      const literal = (sql: string) => sql.replace(/\$1/g, String(CLIENTS)).replace(/\$2/g, String(MONTHS)).replace(/\$3/g, `'${AS_OF}T00:00:00Z'`);
      for (const sql of GENERATE) await dataSource.query(literal(sql));
      await dataSource.query('ANALYZE');
    });
    const [{ invoices, payments, notes, fees }] = await dataSource.query(
      `SELECT (SELECT count(*) FROM invoices)::int AS invoices, (SELECT count(*) FROM invoice_payments)::int AS payments,
              (SELECT count(*) FROM credit_notes)::int AS notes, (SELECT count(*) FROM actions)::int AS fees`,
    );
    console.log(
      `generated ${CLIENTS} clients, ${invoices} invoices, ${payments} payments, ${notes} credit notes, ${fees} late fees in ${generateS.toFixed(1)} s`,
    );

    const service = new ReportsService(dataSource, SETTINGS);
    const last90: ReportPeriod = { asOf: AS_OF, from: addDays(AS_OF, -89), to: AS_OF };
    const pastDay = addDays(AS_OF, -180);
    const runs: Array<[string, ReportName, ReportPeriod, boolean]> = [
      [`aging as of ${AS_OF}`, 'aging', last90, true],
      [`aging as of ${pastDay} (paid since)`, 'aging', { asOf: pastDay, from: pastDay, to: pastDay }, true],
      ['behaviour, last 90 days', 'behaviour', last90, true],
      [`behaviour, all ${MONTHS} months`, 'behaviour', { asOf: AS_OF, from: addDays(AS_OF, -31 * (MONTHS + 2)), to: AS_OF }, true],
      ['dso, last 90 days', 'dso', last90, false],
      ['fees, last 90 days', 'fees', last90, false],
      ['discounts, last 90 days', 'discounts', last90, false],
    ];
    console.log(`\n${'report'.padEnd(44)}${'rows'.padStart(8)}${'1st run'.padStart(10)}${'2nd run'.padStart(10)}   vs ${TARGET_S} s target (slower run)`);
    for (const [label, name, period, targeted] of runs) {
      const [first, result] = await seconds(() => service.run(name, period));
      const [second] = await seconds(() => service.run(name, period));
      const ratio = targeted ? `${(Math.max(first, second) / TARGET_S).toFixed(2)} × target` : '(no target)';
      console.log(
        `${label.padEnd(44)}${String(result.rows.length).padStart(8)}${`${first.toFixed(2)} s`.padStart(10)}${`${second.toFixed(2)} s`.padStart(10)}   ${ratio}`,
      );
    }
  } finally {
    process.removeListener('SIGINT', stop);
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
