import { AGING_COLUMNS } from './report-columns';
import { columnsOf, useReportLedger } from './report-fixture';

describe('aging report', () => {
  const ledger = useReportLedger();

  it('as of a past day: invoices paid, voided or written off since are still open, net of payments and credit notes then', async () => {
    const result = await ledger.run('aging', { asOf: '2026-03-31' });
    expect(result.columns.map((column) => column.key)).toEqual(AGING_COLUMNS);
    expect(columnsOf(result, AGING_COLUMNS)).toEqual([
      // in_a1 1000 − 300 paid 03-01 = 700, 59 days; in_a2 500 − 100 credit note = 400, due today; in_a5 600 (voided 04-05), 19 days.
      {
        row_type: 'client',
        client_id: 'cus_alpha',
        client_name: 'Alpha Studio',
        currency: 'eur',
        invoices: 3,
        current: 40000,
        days_1_30: 60000,
        days_31_60: 70000,
        days_61_90: 0,
        days_over_90: 0,
        total: 170000,
        oldest_days_past_due: 59,
      },
      // in_b1 800, 90 days; in_b2 250, due 04-14.
      {
        row_type: 'client',
        client_id: 'cus_beta',
        client_name: 'Beta GmbH',
        currency: 'eur',
        invoices: 2,
        current: 25000,
        days_1_30: 0,
        days_31_60: 0,
        days_61_90: 80000,
        days_over_90: 0,
        total: 105000,
        oldest_days_past_due: 90,
      },
      {
        row_type: 'total',
        client_id: null,
        client_name: null,
        currency: 'eur',
        invoices: 5,
        current: 65000,
        days_1_30: 60000,
        days_31_60: 70000,
        days_61_90: 80000,
        days_over_90: 0,
        total: 275000,
        oldest_days_past_due: 90,
      },
      // in_b3 1200 − 200 paid 02-20 = 1000 (uncollectible only from 05-01), 45 days.
      {
        row_type: 'client',
        client_id: 'cus_beta',
        client_name: 'Beta GmbH',
        currency: 'usd',
        invoices: 1,
        current: 0,
        days_1_30: 0,
        days_31_60: 100000,
        days_61_90: 0,
        days_over_90: 0,
        total: 100000,
        oldest_days_past_due: 45,
      },
      // in_g1 400 − 150 credit note (a correction still lowers what is owed) = 250, 11 days; in_g2 100 − 40 (voided only 04-02) = 60;
      // in_g3 500 − 200 paid at an unknown date (counted from finalization) = 300, 28 days.
      {
        row_type: 'client',
        client_id: 'cus_gamma',
        client_name: 'Gamma LLC',
        currency: 'usd',
        invoices: 3,
        current: 6000,
        days_1_30: 55000,
        days_31_60: 0,
        days_61_90: 0,
        days_over_90: 0,
        total: 61000,
        oldest_days_past_due: 28,
      },
      {
        row_type: 'total',
        client_id: null,
        client_name: null,
        currency: 'usd',
        invoices: 4,
        current: 6000,
        days_1_30: 55000,
        days_31_60: 100000,
        days_61_90: 0,
        days_over_90: 0,
        total: 161000,
        oldest_days_past_due: 45,
      },
    ]);
  });

  it('counts a payment from its day on, an invoice paid without payment rows until paid_at, and no credit note before its day', async () => {
    // 03-15: in_a3 (paid 03-20, no payment rows) is open in full, 28 days; in_a1 already had 300 paid on 03-01.
    const alpha = (await ledger.run('aging', { asOf: '2026-03-15' })).rows.find((row) => row.client_id === 'cus_alpha' && row.row_type === 'client');
    expect(alpha).toEqual(expect.objectContaining({ invoices: 4, current: 40000, days_1_30: 80000, days_31_60: 70000, total: 190000 }));
    // 03-22: in_g1 was not credited yet (03-25): 400 open, 2 days past due.
    const gamma = (await ledger.run('aging', { asOf: '2026-03-22' })).rows.find((row) => row.client_id === 'cus_gamma');
    expect(gamma).toEqual(expect.objectContaining({ current: 6000, days_1_30: 40000 + 30000, total: 76000 }));
    // A payment at 10:00 on 04-15 closes in_a1 for a report as of 04-15, not as of 04-14.
    const openA1 = async (asOf: string) => (await ledger.run('aging', { asOf })).rows.find((row) => row.client_id === 'cus_alpha')?.days_61_90;
    expect(await openA1('2026-04-14')).toBe(70000);
    expect(await openA1('2026-04-15')).toBe(0);
  });

  it('as of the latest day ties to what Stripe says remains open', async () => {
    const result = await ledger.run('aging', { asOf: '2026-06-30' });
    expect(columnsOf(result, ['row_type', 'client_id', 'currency', 'days_31_60', 'days_over_90', 'total'])).toEqual([
      { row_type: 'client', client_id: 'cus_alpha', currency: 'eur', days_31_60: 30000, days_over_90: 40000, total: 70000 },
      { row_type: 'client', client_id: 'cus_beta', currency: 'eur', days_31_60: 0, days_over_90: 80000, total: 80000 },
      { row_type: 'total', client_id: null, currency: 'eur', days_31_60: 30000, days_over_90: 120000, total: 150000 },
      { row_type: 'client', client_id: 'cus_gamma', currency: 'usd', days_31_60: 0, days_over_90: 30000, total: 30000 },
      { row_type: 'total', client_id: null, currency: 'usd', days_31_60: 0, days_over_90: 30000, total: 30000 },
    ]);
    const stripe: Array<{ currency: string; remaining: number }> = await ledger
      .db()
      .dataSource.query(`SELECT currency, sum(amount_remaining)::int AS remaining FROM invoices WHERE status = 'open' GROUP BY currency ORDER BY currency`);
    expect(result.rows.filter((row) => row.row_type === 'total').map((row) => ({ currency: row.currency, remaining: row.total }))).toEqual(stripe);
  });

  it('has nothing open before the first invoice', async () => {
    expect((await ledger.run('aging', { asOf: '2025-11-30' })).rows).toEqual([]);
  });
});
