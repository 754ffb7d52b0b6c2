import { columnsOf, useReportLedger } from './report-fixture';

const FEE1 = '00000000-0000-4000-8000-000000000001';
const AMOUNTS = ['row_type', 'client_id', 'currency', 'fee_id', 'status', 'fees', 'proposed', 'applied', 'collected', 'waived'];
const DATES = ['proposed_on', 'applied_on', 'collected_on', 'waived_on'];

describe('late fees ledger', () => {
  const ledger = useReportLedger();

  it('lists each fee with what happened to it in Q2, subtotals per client and totals per currency', async () => {
    const result = await ledger.run('fees', { asOf: '2026-06-30', from: '2026-04-01', to: '2026-06-30' });
    const fee = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
    expect(columnsOf(result, AMOUNTS)).toEqual([
      // Fee 1: proposed 04-02, applied 04-03, collected when in_a6 (which carried it) was paid on 05-20.
      {
        row_type: 'fee',
        client_id: 'cus_alpha',
        currency: 'eur',
        fee_id: fee(1),
        status: 'applied',
        fees: 1,
        proposed: 1500,
        applied: 1500,
        collected: 1500,
        waived: null,
      },
      {
        row_type: 'client',
        client_id: 'cus_alpha',
        currency: 'eur',
        fee_id: null,
        status: null,
        fees: 1,
        proposed: 1500,
        applied: 1500,
        collected: 1500,
        waived: 0,
      },
      // Fee 2: proposed and applied in March (not this period), waived 04-10.
      {
        row_type: 'fee',
        client_id: 'cus_beta',
        currency: 'eur',
        fee_id: fee(2),
        status: 'waived',
        fees: 1,
        proposed: null,
        applied: null,
        collected: null,
        waived: 2000,
      },
      { row_type: 'client', client_id: 'cus_beta', currency: 'eur', fee_id: null, status: null, fees: 1, proposed: 0, applied: 0, collected: 0, waived: 2000 },
      {
        row_type: 'total',
        client_id: null,
        currency: 'eur',
        fee_id: null,
        status: null,
        fees: 2,
        proposed: 1500,
        applied: 1500,
        collected: 1500,
        waived: 2000,
      },
      {
        row_type: 'fee',
        client_id: 'cus_beta',
        currency: 'usd',
        fee_id: fee(3),
        status: 'proposed',
        fees: 1,
        proposed: 5000,
        applied: null,
        collected: null,
        waived: null,
      },
      { row_type: 'client', client_id: 'cus_beta', currency: 'usd', fee_id: null, status: null, fees: 1, proposed: 5000, applied: 0, collected: 0, waived: 0 },
      // Fee 4 was rejected (still proposed in the period); fee 6 has no audit rows: waived at its last update, 06-15.
      {
        row_type: 'fee',
        client_id: 'cus_gamma',
        currency: 'usd',
        fee_id: fee(4),
        status: 'rejected',
        fees: 1,
        proposed: 1000,
        applied: null,
        collected: null,
        waived: null,
      },
      {
        row_type: 'fee',
        client_id: 'cus_gamma',
        currency: 'usd',
        fee_id: fee(6),
        status: 'waived',
        fees: 1,
        proposed: 800,
        applied: null,
        collected: null,
        waived: 800,
      },
      {
        row_type: 'client',
        client_id: 'cus_gamma',
        currency: 'usd',
        fee_id: null,
        status: null,
        fees: 2,
        proposed: 1800,
        applied: 0,
        collected: 0,
        waived: 800,
      },
      { row_type: 'total', client_id: null, currency: 'usd', fee_id: null, status: null, fees: 3, proposed: 6800, applied: 0, collected: 0, waived: 800 },
    ]);
    expect(result.rows[0]).toEqual(
      expect.objectContaining({
        proposed_on: '2026-04-02',
        applied_on: '2026-04-03',
        collected_on: '2026-05-20',
        waived_on: null,
        overdue_invoice: 'in_a1',
        invoice_item: 'ii_fee1',
        fee_invoice: 'in_a6',
        fee_invoice_url: 'https://dashboard.stripe.com/test/invoices/in_a6',
        overdue_invoice_url: 'https://dashboard.stripe.com/test/invoices/in_a1',
      }),
    );
    expect(result.rows[2]).toEqual(
      expect.objectContaining({
        waived_on: '2026-04-10',
        waiver: 'cn_fee2',
        fee_invoice_url: null,
        overdue_invoice_url: 'https://dashboard.stripe.com/test/invoices/in_b1',
      }),
    );
    expect(result.rows[8]).toEqual(expect.objectContaining({ proposed_on: '2026-06-10', waived_on: '2026-06-15' }));
  });

  it('as of an earlier day: not yet collected, and each fee in the status it had then', async () => {
    const early = await ledger.run('fees', { asOf: '2026-04-05', from: '2026-04-01', to: '2026-04-05' });
    expect(columnsOf(early, [...AMOUNTS, ...DATES]).filter((row) => row.row_type === 'fee')).toEqual([
      {
        row_type: 'fee',
        client_id: 'cus_alpha',
        currency: 'eur',
        fee_id: FEE1,
        status: 'applied',
        fees: 1,
        proposed: 1500,
        applied: 1500,
        collected: null,
        waived: null,
        proposed_on: '2026-04-02',
        applied_on: '2026-04-03',
        collected_on: null,
        waived_on: null,
      },
    ]);
    const onTheDay = await ledger.run('fees', { asOf: '2026-06-01', from: '2026-06-01', to: '2026-06-01' });
    expect(onTheDay.rows.find((row) => row.row_type === 'fee')).toEqual(
      expect.objectContaining({ client_id: 'cus_gamma', status: 'proposed', proposed: 1000 }),
    );
  });
});
