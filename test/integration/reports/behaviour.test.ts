import { columnsOf, soleClientTotal, useReportLedger } from './report-fixture';

const KEYS = [
  'row_type',
  'client_id',
  'currency',
  'invoices_due',
  'paid',
  'on_time',
  'late',
  'unpaid',
  'on_time_share',
  'avg_days_late',
  'median_days_late',
  'avg_days_to_pay',
  'days_to_pay_first_half',
  'days_to_pay_second_half',
  'days_to_pay_trend',
  'amount_due',
  'level',
  'flags',
];

// Alpha's Q1 invoices as known on 06-30 (the only eur client, so also the eur total).
const ALPHA_Q1 = {
  row_type: 'client',
  client_id: 'cus_alpha',
  currency: 'eur',
  invoices_due: 4,
  paid: 3,
  on_time: 1,
  late: 3,
  unpaid: 1,
  on_time_share: 0.25,
  avg_days_late: 50.3,
  median_days_late: 53.5,
  avg_days_to_pay: 61,
  days_to_pay_first_half: 68,
  days_to_pay_second_half: 47,
  days_to_pay_trend: -21,
  amount_due: 175000,
  level: 'risky',
  flags: 'chronic_late_payer, arrears',
};

describe('payment behaviour report', () => {
  const ledger = useReportLedger();

  it('judges invoices due in Q1 with what was known on 06-30', async () => {
    // Alpha: in_a1 paid 74 days late (104 days to pay), in_a2 unpaid 92 days (due 03-31 00:00, counted to the end of 06-30), in_a3 paid 33 late (47 to pay),
    // in_a8 paid 2 days late = on time (32 to pay); in_a5 is out (voided by 06-30). Halves: due before 02-15 or from it.
    const result = await ledger.run('behaviour', { asOf: '2026-06-30', from: '2026-01-01', to: '2026-03-31' });
    expect(columnsOf(result, KEYS)).toEqual([
      ALPHA_Q1,
      soleClientTotal(ALPHA_Q1, ['level', 'flags']),
      // in_b3: written off on 05-01, never paid: 137 days late by the end of 06-30.
      {
        row_type: 'client',
        client_id: 'cus_beta',
        currency: 'usd',
        invoices_due: 1,
        paid: 0,
        on_time: 0,
        late: 1,
        unpaid: 1,
        on_time_share: 0,
        avg_days_late: 137,
        median_days_late: 137,
        avg_days_to_pay: null,
        days_to_pay_first_half: null,
        days_to_pay_second_half: null,
        days_to_pay_trend: null,
        amount_due: 120000,
        level: 'critical',
        flags: 'arrears',
      },
      // in_g1 paid 46 days late (61 to pay), in_g3 unpaid 120 days; no assessment yet.
      {
        row_type: 'client',
        client_id: 'cus_gamma',
        currency: 'usd',
        invoices_due: 2,
        paid: 1,
        on_time: 0,
        late: 2,
        unpaid: 1,
        on_time_share: 0,
        avg_days_late: 83,
        median_days_late: 83,
        avg_days_to_pay: 61,
        days_to_pay_first_half: null,
        days_to_pay_second_half: 61,
        days_to_pay_trend: null,
        amount_due: 75000,
        level: null,
        flags: null,
      },
      {
        row_type: 'total',
        client_id: null,
        currency: 'usd',
        invoices_due: 3,
        paid: 1,
        on_time: 0,
        late: 3,
        unpaid: 2,
        on_time_share: 0,
        avg_days_late: 101,
        median_days_late: 120,
        avg_days_to_pay: 61,
        days_to_pay_first_half: null,
        days_to_pay_second_half: 61,
        days_to_pay_trend: null,
        amount_due: 195000,
        level: null,
        flags: null,
      },
    ]);
  });

  it('as of 03-31 the same invoices were still unpaid, the voided one counted, and the level was the one assessed by then', async () => {
    // Unpaid ones count whole days to the end of as-of (common/time, as detection does): in_a1 60 so far,
    // in_a2 due at 03-31 00:00 (1 day by the day's end: inside grace, not judged), in_a3 33, in_a5 20, in_a8 2 (on time).
    const result = await ledger.run('behaviour', { asOf: '2026-03-31', from: '2026-01-01', to: '2026-03-31' });
    expect(columnsOf(result, KEYS)[0]).toEqual({
      row_type: 'client',
      client_id: 'cus_alpha',
      currency: 'eur',
      invoices_due: 5,
      paid: 2,
      on_time: 1,
      late: 3,
      unpaid: 3,
      on_time_share: 0.25,
      avg_days_late: 23.2,
      median_days_late: 20,
      avg_days_to_pay: 39.5,
      days_to_pay_first_half: 32,
      days_to_pay_second_half: 47,
      days_to_pay_trend: 15,
      amount_due: 235000,
      level: 'watch',
      flags: 'slipping',
    });
  });
});
