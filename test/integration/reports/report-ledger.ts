import type { DataSource } from 'typeorm';
import { type CreditNoteFact, insertClient, insertCreditNote, insertInvoice, insertPayment } from '../../support/ledger-facts';

/**
 * A small ledger with known dates for the report tests; every expected number in the tests
 * is worked out by hand from the comments here. Amounts in minor units; times UTC midnight
 * unless given. Rows are written the way the Stripe sync writes them: `amount_due` is Stripe's
 * current value (already lowered by issued pre-payment credit notes).
 *
 * Alpha Studio (EUR)
 *   in_a1  1000.00  finalized 01-01, due 01-31; paid 300.00 on 03-01 and 700.00 on 04-15 10:00 (paid)
 *   in_a2   500.00  finalized 03-01, due 03-31; credit note cn_a2 100.00 (order_change) on 03-10; open
 *   in_a3   200.00  finalized 02-01, due 02-15; paid 03-20 15:30, no invoice_payments rows (older sync)
 *   in_a4   300.00  finalized 04-10, due 05-10; open
 *   in_a5   600.00  finalized 02-10, due 03-12; voided 04-05 …
 *   in_a6   450.00  … re-issued 04-06 for less, due 05-06; paid 05-20 (carries late fee 1)
 *   in_a7    99.99  draft
 *   in_a8   150.00  finalized 01-10, due 02-09; paid 02-11 23:59 (2 days late: on time with 3 grace days)
 * Beta GmbH (EUR and USD)
 *   in_b1   800.00 EUR finalized 2025-12-01, due 2025-12-31; never paid
 *   in_b2   250.00 EUR (subtotal 300.00, coupon 50.00) finalized 03-15, due 04-14; paid 04-20
 *   in_b3  1200.00 USD finalized 01-15, due 02-14; paid 200.00 on 02-20; uncollectible 05-01
 * Gamma LLC (USD)
 *   in_g1   400.00  finalized 03-05, due 03-20; credit note cn_g1 150.00 (duplicate: not a discount) 03-25; rest paid 05-05
 *   in_g2   100.00  finalized 03-10, due 04-09; credit note cn_g2 40.00 (product_unsatisfactory) 03-20, voided 04-02; paid 04-09
 *   in_g3   500.00  finalized 02-01, due 03-03; 200.00 paid but no invoice_payments rows (older sync); open
 *   in_g4   200.00  finalized 04-01, voided 04-02; in_g5 220.00 re-issued 04-03 for MORE (not a discount); paid 04-20
 *   cn_w5    10.00  04-25 on in_g5: waives a late fee (not a discount)
 */
export const CLIENTS = [
  ['cus_alpha', 'Alpha Studio'],
  ['cus_beta', 'Beta GmbH'],
  ['cus_gamma', 'Gamma LLC'],
] as const;

interface InvoiceSpec {
  id: string;
  client: string;
  currency: string;
  status: 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';
  total: number;
  discount?: number;
  amountDue?: number;
  amountPaid?: number;
  finalized: string | null;
  due: string | null;
  paid?: string;
  voided?: string;
  uncollectible?: string;
}

const t = (day: string) => (day.length === 10 ? `${day}T00:00:00Z` : `${day}Z`);

const INVOICES: InvoiceSpec[] = [
  {
    id: 'in_a1',
    client: 'cus_alpha',
    currency: 'eur',
    status: 'paid',
    total: 100000,
    amountPaid: 100000,
    finalized: '2026-01-01',
    due: '2026-01-31',
    paid: '2026-04-15T10:00:00',
  },
  { id: 'in_a2', client: 'cus_alpha', currency: 'eur', status: 'open', total: 50000, amountDue: 40000, finalized: '2026-03-01', due: '2026-03-31' },
  {
    id: 'in_a3',
    client: 'cus_alpha',
    currency: 'eur',
    status: 'paid',
    total: 20000,
    amountPaid: 20000,
    finalized: '2026-02-01',
    due: '2026-02-15',
    paid: '2026-03-20T15:30:00',
  },
  { id: 'in_a4', client: 'cus_alpha', currency: 'eur', status: 'open', total: 30000, finalized: '2026-04-10', due: '2026-05-10' },
  { id: 'in_a5', client: 'cus_alpha', currency: 'eur', status: 'void', total: 60000, finalized: '2026-02-10', due: '2026-03-12', voided: '2026-04-05' },
  {
    id: 'in_a6',
    client: 'cus_alpha',
    currency: 'eur',
    status: 'paid',
    total: 45000,
    amountPaid: 45000,
    finalized: '2026-04-06',
    due: '2026-05-06',
    paid: '2026-05-20',
  },
  { id: 'in_a7', client: 'cus_alpha', currency: 'eur', status: 'draft', total: 9999, finalized: null, due: null },
  {
    id: 'in_a8',
    client: 'cus_alpha',
    currency: 'eur',
    status: 'paid',
    total: 15000,
    amountPaid: 15000,
    finalized: '2026-01-10',
    due: '2026-02-09',
    paid: '2026-02-11T23:59:00',
  },
  { id: 'in_b1', client: 'cus_beta', currency: 'eur', status: 'open', total: 80000, finalized: '2025-12-01', due: '2025-12-31' },
  {
    id: 'in_b2',
    client: 'cus_beta',
    currency: 'eur',
    status: 'paid',
    total: 25000,
    discount: 5000,
    amountPaid: 25000,
    finalized: '2026-03-15',
    due: '2026-04-14',
    paid: '2026-04-20',
  },
  {
    id: 'in_b3',
    client: 'cus_beta',
    currency: 'usd',
    status: 'uncollectible',
    total: 120000,
    amountPaid: 20000,
    finalized: '2026-01-15',
    due: '2026-02-14',
    uncollectible: '2026-05-01',
  },
  {
    id: 'in_g1',
    client: 'cus_gamma',
    currency: 'usd',
    status: 'paid',
    total: 40000,
    amountDue: 25000,
    amountPaid: 25000,
    finalized: '2026-03-05',
    due: '2026-03-20',
    paid: '2026-05-05',
  },
  {
    id: 'in_g2',
    client: 'cus_gamma',
    currency: 'usd',
    status: 'paid',
    total: 10000,
    amountPaid: 10000,
    finalized: '2026-03-10',
    due: '2026-04-09',
    paid: '2026-04-09',
  },
  { id: 'in_g3', client: 'cus_gamma', currency: 'usd', status: 'open', total: 50000, amountPaid: 20000, finalized: '2026-02-01', due: '2026-03-03' },
  { id: 'in_g4', client: 'cus_gamma', currency: 'usd', status: 'void', total: 20000, finalized: '2026-04-01', due: '2026-05-01', voided: '2026-04-02' },
  {
    id: 'in_g5',
    client: 'cus_gamma',
    currency: 'usd',
    status: 'paid',
    total: 22000,
    amountPaid: 22000,
    finalized: '2026-04-03',
    due: '2026-05-03',
    paid: '2026-04-20',
  },
];

/** [id, invoice, amount, paid at] */
const PAYMENTS: Array<[string, string, number, string]> = [
  ['inpay_a1_1', 'in_a1', 30000, '2026-03-01'],
  ['inpay_a1_2', 'in_a1', 70000, '2026-04-15T10:00:00'],
  ['inpay_a6', 'in_a6', 45000, '2026-05-20'],
  ['inpay_a8', 'in_a8', 15000, '2026-02-11T23:59:00'],
  ['inpay_b2', 'in_b2', 25000, '2026-04-20'],
  ['inpay_b3', 'in_b3', 20000, '2026-02-20'],
  ['inpay_g1', 'in_g1', 25000, '2026-05-05'],
  ['inpay_g2', 'in_g2', 10000, '2026-04-09'],
  ['inpay_g5', 'in_g5', 22000, '2026-04-20'],
];

/** [id, client, invoice, currency, amount, type, reason, created, voided, metadata] */
const CREDIT_NOTES: Array<
  [string, string, string, string, number, CreditNoteFact['type'], NonNullable<CreditNoteFact['reason']>, string, string | null, Record<string, string>]
> = [
  ['cn_a2', 'cus_alpha', 'in_a2', 'eur', 10000, 'pre_payment', 'order_change', '2026-03-10', null, {}],
  ['cn_g1', 'cus_gamma', 'in_g1', 'usd', 15000, 'pre_payment', 'duplicate', '2026-03-25', null, {}],
  ['cn_g2', 'cus_gamma', 'in_g2', 'usd', 4000, 'pre_payment', 'product_unsatisfactory', '2026-03-20', '2026-04-02', {}],
  ['cn_w5', 'cus_gamma', 'in_g5', 'usd', 1000, 'post_payment', 'order_change', '2026-04-25', null, { payrisk_kind: 'late_fee_waiver' }],
];

function insertReportInvoice(dataSource: DataSource, spec: InvoiceSpec): Promise<void> {
  return insertInvoice(dataSource, {
    id: spec.id,
    clientId: spec.client,
    status: spec.status,
    currency: spec.currency,
    total: spec.total,
    discount: spec.discount,
    amountDue: spec.amountDue,
    amountPaid: spec.amountPaid ?? 0,
    createdAt: t(spec.finalized ?? '2026-06-01'),
    finalizedAt: spec.finalized && t(spec.finalized),
    dueAt: spec.due && t(spec.due),
    paidAt: spec.paid ? t(spec.paid) : null,
    voidedAt: spec.voided ? t(spec.voided) : null,
    uncollectibleAt: spec.uncollectible ? t(spec.uncollectible) : null,
  });
}

async function insertFees(dataSource: DataSource): Promise<void> {
  // [id, client, currency, amount, overdue invoice, status now, proposed, stripe ids, audit [to, at][], updated]
  const fees: Array<[string, string, string, number, string, string, string, Record<string, string>, Array<[string, string]>, string]> = [
    [
      '00000000-0000-4000-8000-000000000001',
      'cus_alpha',
      'eur',
      1500,
      'in_a1',
      'applied',
      '2026-04-02',
      { invoiceItem: 'ii_fee1', invoice: 'in_a6' },
      [
        ['proposed', '2026-04-02'],
        ['approved', '2026-04-03'],
        ['applied', '2026-04-03'],
      ],
      '2026-04-03',
    ],
    [
      '00000000-0000-4000-8000-000000000002',
      'cus_beta',
      'eur',
      2000,
      'in_b1',
      'waived',
      '2026-03-20',
      { invoiceItem: 'ii_fee2', waiverCreditNote: 'cn_fee2' },
      [
        ['proposed', '2026-03-20'],
        ['approved', '2026-03-21'],
        ['applied', '2026-03-21'],
        ['waived', '2026-04-10'],
      ],
      '2026-04-10',
    ],
    ['00000000-0000-4000-8000-000000000003', 'cus_beta', 'usd', 5000, 'in_b3', 'proposed', '2026-05-02', {}, [['proposed', '2026-05-02']], '2026-05-02'],
    [
      '00000000-0000-4000-8000-000000000004',
      'cus_gamma',
      'usd',
      1000,
      'in_g3',
      'rejected',
      '2026-06-01',
      {},
      [
        ['proposed', '2026-06-01'],
        ['rejected', '2026-06-02'],
      ],
      '2026-06-02',
    ],
    [
      '00000000-0000-4000-8000-000000000005',
      'cus_alpha',
      'eur',
      700,
      'in_a3',
      'applied',
      '2026-02-01',
      { invoiceItem: 'ii_fee5', invoice: 'in_a8' },
      [
        ['proposed', '2026-02-01'],
        ['applied', '2026-02-02'],
      ],
      '2026-02-02',
    ],
    // Older data: waived without audit rows; the waiver date is its last update.
    ['00000000-0000-4000-8000-000000000006', 'cus_gamma', 'usd', 800, 'in_g3', 'waived', '2026-06-10', {}, [], '2026-06-15'],
  ];
  for (const [id, client, currency, amount, invoice, status, proposed, stripeIds, audit, updated] of fees) {
    const appliedAt = audit.find(([to]) => to === 'applied')?.[1] ?? null;
    await dataSource.query(
      `INSERT INTO actions (id, kind, client_id, stripe_account_id, status, invoice_id, amount, currency, dedupe_key, stripe_ids, proposed_at, applied_at, updated_at)
       VALUES ($1, 'late_fee', $2, 'acct_test', $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        id,
        client,
        status,
        invoice,
        amount,
        currency,
        `late_fee:${invoice}:${id}`,
        JSON.stringify(stripeIds),
        t(proposed),
        appliedAt && t(appliedAt),
        t(updated),
      ],
    );
    let from: string | null = null;
    for (const [to, at] of audit) {
      await dataSource.query(`INSERT INTO action_audit (action_id, from_status, to_status, actor, at) VALUES ($1, $2, $3, 'system', $4)`, [
        id,
        from,
        to,
        t(at),
      ]);
      from = to;
    }
  }
  // Not a fee: the fees ledger must leave other kinds of action out.
  await dataSource.query(
    `INSERT INTO actions (kind, client_id, stripe_account_id, status, invoice_id, dedupe_key, proposed_at) VALUES ('work_pause', 'cus_alpha', 'acct_test', 'applied', 'in_a1', 'work_pause:cus_alpha:in_a1', '2026-04-02T00:00:00Z')`,
  );
}

export async function seedReportLedger(dataSource: DataSource): Promise<void> {
  for (const [id, name] of CLIENTS) await insertClient(dataSource, { id, name, currency: 'eur', createdAt: '2025-01-01T00:00:00Z' });
  for (const invoice of INVOICES) await insertReportInvoice(dataSource, invoice);
  for (const [id, invoiceId, amount, paidAt] of PAYMENTS) {
    const currency = INVOICES.find((spec) => spec.id === invoiceId)?.currency ?? 'eur';
    await insertPayment(dataSource, { id, invoiceId, currency, amount, paidAt: t(paidAt) });
  }
  for (const [id, clientId, invoiceId, currency, amount, type, reason, created, voided, metadata] of CREDIT_NOTES) {
    await insertCreditNote(dataSource, {
      id,
      clientId,
      invoiceId,
      currency,
      amount,
      type,
      reason,
      createdAt: t(created),
      voidedAt: voided && t(voided),
      metadata,
    });
  }
  // [client, currency, amount, requested, logged]
  for (const [client, currency, amount, requested, logged] of [
    ['cus_gamma', 'usd', 3000, '2026-04-12', '2026-04-12'],
    ['cus_alpha', 'eur', 2500, '2026-03-28', '2026-05-02'],
  ] as const) {
    await dataSource.query(
      `INSERT INTO discount_requests (stripe_account_id, client_id, currency, amount, requested_at, created_by, created_at) VALUES ('acct_test', $1, $2, $3, $4, 'cli', $5)`,
      [client, currency, amount, t(requested), t(logged)],
    );
  }
  // [client, assessed, level, flags]
  for (const [client, assessed, level, flags] of [
    ['cus_alpha', '2026-03-01', 'watch', ['slipping']],
    ['cus_alpha', '2026-05-01', 'risky', ['chronic_late_payer', 'arrears']],
    ['cus_beta', '2026-02-01', 'critical', ['arrears']],
  ] as const) {
    await dataSource.query(
      `INSERT INTO risk_assessments (run_id, client_id, stripe_account_id, assessed_at, score, level, flags, metrics, evidence, reasons)
       VALUES (gen_random_uuid(), $1, 'acct_test', $2, 50, $3, $4, '{}', '{}', '{}')`,
      [client, t(assessed), level, flags],
    );
  }
  await insertFees(dataSource);
}
