import { columnsOf, useReportLedger } from './report-fixture';

const KEYS = ['row_type', 'client_id', 'currency', 'receivables', 'billed', 'period_days', 'dso_standard', 'dso_countback'];

describe('DSO report', () => {
  const ledger = useReportLedger();

  it('standard and countback per client and per currency, for Q1 (90 days) as it stood on 03-31', async () => {
    // Receivables at 03-31 are the aging totals. Billed: what each invoice finalized in Q1 asked
    // at finalization (in_a2 500 before its credit note; in_a5 counts: voided only on 04-05).
    const result = await ledger.run('dso', { asOf: '2026-06-30', from: '2026-01-01', to: '2026-03-31' });
    expect(columnsOf(result, KEYS)).toEqual([
      // Alpha: billed 1000 + 150 (Jan) + 200 + 600 (Feb) + 500 (Mar) = 2450. Standard 1700 / 2450 × 90 = 62.4.
      // Countback: Mar 500 (31 d), Feb 800 (28 d) → 1300 used, Jan 1150 covers the last 400: 59 + 400/1150 × 31 = 69.8.
      {
        row_type: 'client',
        client_id: 'cus_alpha',
        currency: 'eur',
        receivables: 170000,
        billed: 245000,
        period_days: 90,
        dso_standard: 62.4,
        dso_countback: 69.8,
      },
      // Beta EUR: 1050 / 250 × 90 = 378. Countback: Mar 250, nothing in Feb or Jan (90 d), Dec 800 covers 800: 90 + 31 = 121.
      {
        row_type: 'client',
        client_id: 'cus_beta',
        currency: 'eur',
        receivables: 105000,
        billed: 25000,
        period_days: 90,
        dso_standard: 378,
        dso_countback: 121,
      },
      // EUR: 2750 / 2700 × 90 = 91.7. Countback: Mar 750, Feb 800, Jan 1150 = 2700 (90 d), Dec covers 50 of 800: 90 + 50/800 × 31 = 91.9.
      { row_type: 'total', client_id: null, currency: 'eur', receivables: 275000, billed: 270000, period_days: 90, dso_standard: 91.7, dso_countback: 91.9 },
      // Beta USD: 1000 / 1200 × 90 = 75. Countback: nothing in Mar or Feb (59 d), Jan covers 1000 of 1200: 59 + 25.83 = 84.8.
      {
        row_type: 'client',
        client_id: 'cus_beta',
        currency: 'usd',
        receivables: 100000,
        billed: 120000,
        period_days: 90,
        dso_standard: 75,
        dso_countback: 84.8,
      },
      // Gamma: billed 400 (before its credit note) + 100 + 500 = 1000; 610 / 1000 × 90 = 54.9. Countback: Mar 500, Feb covers 110 of 500: 31 + 6.16 = 37.2.
      {
        row_type: 'client',
        client_id: 'cus_gamma',
        currency: 'usd',
        receivables: 61000,
        billed: 100000,
        period_days: 90,
        dso_standard: 54.9,
        dso_countback: 37.2,
      },
      // USD: 1610 / 2200 × 90 = 65.9. Countback: Mar 500, Feb 500 (59 d), Jan covers 610 of 1200: 59 + 15.76 = 74.8.
      { row_type: 'total', client_id: null, currency: 'usd', receivables: 161000, billed: 220000, period_days: 90, dso_standard: 65.9, dso_countback: 74.8 },
    ]);
  });

  it('counts back from a period end in the middle of a month, and has no standard DSO without billing', async () => {
    // As of 04-20 (period 04-01..04-20): Beta EUR owes in_b1 800 only (in_b2 paid 04-20), billed nothing in April.
    // Countback: April up to the 20th (20 d) nothing, March 250 (in_b2, 51 d), nothing in Feb or Jan (110 d),
    // December covers the remaining 550 of 800: 110 + 550/800 × 31 = 131.3.
    const result = await ledger.run('dso', { asOf: '2026-04-20', from: '2026-04-01' });
    const beta = result.rows.find((row) => row.client_id === 'cus_beta' && row.currency === 'eur');
    expect(beta).toEqual(expect.objectContaining({ receivables: 80000, billed: 0, period_days: 20, dso_standard: null, dso_countback: 131.3 }));
  });
});
