import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadOverview } from '../../../src/dashboard/queries/overview.query';
import { useReportLedger } from '../reports/report-fixture';
import { startReportsApp } from '../reports/reports-app';

const TOKEN = 'test-token-0123456789abcdef';
const NOW = new Date('2026-06-20T15:00:00Z');
const minor = (major: string | number) => Math.round(Number(major) * 100); // eur and usd: two decimals

/**
 * The overview's DSO and aging are the reports' numbers: for each of its 12 months the DSO
 * report's total row for that calendar month (the current one to date), and aging as of today.
 * Checked on the hand-computed report ledger (partial payments with and without payment rows,
 * pre-payment credit notes, voids, a write-off), then again after the ledger changes under
 * months the overview has already precomputed.
 */
describe('the dashboard overview agrees with GET /api/reports/dso and /aging', () => {
  const ledger = useReportLedger();
  let app: INestApplication;
  const get = (path: string) => request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${TOKEN}`).expect(200);

  beforeAll(async () => {
    app = await startReportsApp(ledger.db().url, NOW, TOKEN);
  });
  afterAll(async () => app.close());

  async function expectAgreement(): Promise<void> {
    const overview = await loadOverview(ledger.db().dataSource.manager, NOW);
    const months = [...new Set(overview.dso.map((row) => row.month))];
    expect(months).toHaveLength(12);
    expect(months.at(-1)).toBe('2026-06');
    for (const month of months) {
      const from = `${month}-01`;
      const [y, m] = month.split('-').map(Number);
      const to = month === '2026-06' ? '2026-06-20' : new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
      const report = (await get(`/api/reports/dso?from=${from}&to=${to}`)).body as { rows: Record<string, string | number | null>[] };
      const totals = report.rows.filter((row) => row.row_type === 'total');
      const mine = overview.dso.filter((row) => row.month === month && (row.billed !== 0 || row.outstanding !== 0));
      expect(mine.map((row) => ({ currency: row.currency, receivables: row.outstanding, billed: row.billed, dso: row.dso ?? null }))).toEqual(
        totals.map((row) => ({
          currency: row.currency,
          receivables: minor(row.receivables as string),
          billed: minor(row.billed as string),
          dso: row.dso_standard === null ? null : Number(row.dso_standard),
        })),
      );
    }
    const aging = (await get('/api/reports/aging')).body as { asOf: string; rows: Record<string, string>[] };
    expect(aging.asOf).toBe('2026-06-20');
    expect(overview.aging).toEqual(
      aging.rows
        .filter((row) => row.row_type === 'total')
        .map((row) => ({
          currency: row.currency,
          current: minor(row.current),
          d1_30: minor(row.days_1_30),
          d31_60: minor(row.days_31_60),
          d61_90: minor(row.days_61_90),
          d90plus: minor(row.days_over_90),
        })),
    );
  }

  it('month by month and bucket by bucket, on the ledger as seeded', async () => {
    await expectAgreement();
    const dso = (await loadOverview(ledger.db().dataSource.manager, NOW)).dso;
    // Not a vacuous match: months with receivables and billing, in both currencies.
    expect(dso.filter((row) => row.dso !== undefined && row.outstanding > 0).map((row) => row.currency)).toEqual(expect.arrayContaining(['eur', 'usd']));
    const cached = (await ledger.db().dataSource.query(`SELECT count(*)::int AS n FROM dashboard_months WHERE fresh`)) as { n: number }[];
    expect(cached[0].n).toBe(11);
  });

  it('still, after payments, credit notes and backfilled invoices land in months already precomputed', async () => {
    const db = ledger.db().dataSource;
    await loadOverview(db.manager, NOW);
    // in_a2 (finalized 2026-03-01, open) is paid in full on 2026-04-20, with a payment row.
    await db.query(`UPDATE invoices SET status = 'paid', amount_paid = amount_due, amount_remaining = 0, paid_at = '2026-04-20T09:00:00Z' WHERE id = 'in_a2'`);
    await db.query(`INSERT INTO invoice_payments (id, stripe_account_id, invoice_id, client_id, amount_paid, currency, status, paid_at, stripe_created_at)
                    SELECT 'inpay_a2_late', 'acct_test', id, client_id, amount_due, currency, 'paid', '2026-04-20T09:00:00Z', '2026-04-20T09:00:00Z' FROM invoices WHERE id = 'in_a2'`);
    const stale = (await db.query(`SELECT to_char(month, 'YYYY-MM') AS month FROM dashboard_months WHERE NOT fresh ORDER BY month`)) as { month: string }[];
    expect(stale.map((row) => row.month)).toEqual(['2026-03', '2026-04', '2026-05']);
    await expectAgreement();
    // A credit note on in_g3 (usd, finalized 2026-02-01) and an invoice synced late into January.
    await db.query(`INSERT INTO credit_notes (id, stripe_account_id, client_id, invoice_id, currency, amount, type, reason, status, reduces_owed, stripe_created_at)
                    VALUES ('cn_g3_late', 'acct_test', 'cus_gamma', 'in_g3', 'usd', 5000, 'pre_payment', 'order_change', 'issued', true, '2026-02-15T00:00:00Z')`);
    await db.query(`INSERT INTO invoices (id, stripe_account_id, client_id, status, collection_method, currency, subtotal, total, amount_due, amount_paid, amount_remaining,
                                          stripe_created_at, finalized_at, due_at)
                    VALUES ('in_late', 'acct_test', 'cus_beta', 'open', 'send_invoice', 'eur', 70000, 70000, 70000, 0, 70000,
                            '2026-01-20T00:00:00Z', '2026-01-20T00:00:00Z', '2026-02-19T00:00:00Z')`);
    await expectAgreement();
  });
});
