import { columnsOf, soleClientTotal, useReportLedger } from './report-fixture';

const KEYS = [
  'row_type',
  'client_id',
  'currency',
  'coupons',
  'coupon_amount',
  'credit_notes',
  'credit_note_amount',
  'void_reissues',
  'void_reissue_amount',
  'requests',
  'request_amount',
  'granted',
  'granted_total',
  'gross_billed',
  'share_of_gross',
];

// Gamma in March–April as known on 04-30 (the only usd client, so also the usd total).
const GAMMA_MARCH_APRIL = {
  row_type: 'client',
  client_id: 'cus_gamma',
  currency: 'usd',
  coupons: 0,
  coupon_amount: 0,
  credit_notes: 0,
  credit_note_amount: 0,
  void_reissues: 0,
  void_reissue_amount: 0,
  requests: 1,
  request_amount: 3000,
  granted: 0,
  granted_total: 0,
  gross_billed: 72000,
  share_of_gross: 0,
};

describe('discounts report', () => {
  const ledger = useReportLedger();

  it('counts discount events by kind for March–April as known on 04-30, with their share of gross billed', async () => {
    // Gross billed (subtotals of invoices created in the period, not voided): Alpha 500 + 300 + 450, Beta 300, Gamma 400 + 100 + 220.
    const result = await ledger.run('discounts', { asOf: '2026-04-30', from: '2026-03-01', to: '2026-04-30' });
    expect(columnsOf(result, KEYS)).toEqual([
      // cn_a2 100 (order_change); in_a5 600 voided 04-05, re-issued as in_a6 for 450 on 04-06 → 150. The request of 03-28 was logged only on 05-02.
      {
        row_type: 'client',
        client_id: 'cus_alpha',
        currency: 'eur',
        coupons: 0,
        coupon_amount: 0,
        credit_notes: 1,
        credit_note_amount: 10000,
        void_reissues: 1,
        void_reissue_amount: 15000,
        requests: 0,
        request_amount: 0,
        granted: 2,
        granted_total: 25000,
        gross_billed: 125000,
        share_of_gross: 0.2,
      },
      // in_b2: coupon 50 off 300.
      {
        row_type: 'client',
        client_id: 'cus_beta',
        currency: 'eur',
        coupons: 1,
        coupon_amount: 5000,
        credit_notes: 0,
        credit_note_amount: 0,
        void_reissues: 0,
        void_reissue_amount: 0,
        requests: 0,
        request_amount: 0,
        granted: 1,
        granted_total: 5000,
        gross_billed: 30000,
        share_of_gross: 0.1667,
      },
      {
        row_type: 'total',
        client_id: null,
        currency: 'eur',
        coupons: 1,
        coupon_amount: 5000,
        credit_notes: 1,
        credit_note_amount: 10000,
        void_reissues: 1,
        void_reissue_amount: 15000,
        requests: 0,
        request_amount: 0,
        granted: 3,
        granted_total: 30000,
        gross_billed: 155000,
        share_of_gross: 0.1935,
      },
      // Not discounts: cn_g1 (duplicate), cn_g2 (voided 04-02), cn_w5 (waives a late fee), in_g4 → in_g5 (re-issued for more).
      GAMMA_MARCH_APRIL,
      soleClientTotal(GAMMA_MARCH_APRIL),
    ]);
  });

  it('adds a request once it has been logged, and keeps a credit note voided after the as-of day', async () => {
    const later = await ledger.run('discounts', { asOf: '2026-06-30', from: '2026-03-01', to: '2026-04-30' });
    expect(later.rows.find((row) => row.client_id === 'cus_alpha')).toEqual(
      expect.objectContaining({ requests: 1, request_amount: 2500, granted: 2, granted_total: 25000, share_of_gross: 0.2 }),
    );
    expect(later.rows.find((row) => row.row_type === 'total' && row.currency === 'eur')).toEqual(
      expect.objectContaining({ requests: 1, granted: 3, granted_total: 30000, share_of_gross: 0.1935 }),
    );

    const march = await ledger.run('discounts', { asOf: '2026-03-31', from: '2026-03-01', to: '2026-03-31' });
    expect(march.rows.find((row) => row.client_id === 'cus_gamma')).toEqual(
      expect.objectContaining({ credit_notes: 1, credit_note_amount: 4000, gross_billed: 50000, share_of_gross: 0.08 }),
    );
  });
});
