import { loadConfig } from '../../config';
import { assessClient } from './assess-client';
import type { CreditNoteFact } from './client-history';
import type { DetectionConfig } from './detection-config';
import { DAY_MS } from '../../common/time';
import { historiesOf, invoicesFrom, type InvoiceSpec } from './testing/ledger-facts';

/**
 * The edge cases named in the detection issue, each with the numbers the owner would see.
 * Defaults from config/default.yaml: grace 3 days, chronic = 3 of the last 6 late (or median
 * > 14 days) over at least 3 due invoices, arrears from 30 days past due.
 */
const cfg = loadConfig({}).policy.detection;
const NOW = new Date('2026-11-25T12:00:00Z');
const day = (offset: number) => new Date(NOW.getTime() + offset * DAY_MS);
const iso = (offset: number) => day(offset).toISOString().slice(0, 10);
// Scores below follow the factors of risk-score.ts: the arrears flag lifts the partly paid invoice to watch (25 + 40 %
// of its factors), the write-off alone stays ok.

const inv = invoicesFrom(NOW);

const history = historiesOf('cus_edge');

/** Paid on their due dates, one a month, the last one due `lastDue` days from now. */
const punctual = (count: number, options: { lastDue?: number; currency?: string; total?: number } = {}) =>
  Array.from({ length: count }, (_, i) =>
    inv(`in_p${i + 1}`, { due: (options.lastDue ?? -30) - 30 * (count - 1 - i), currency: options.currency, total: options.total }),
  );

const withArrears = (overrides: Partial<DetectionConfig['arrears']>): DetectionConfig => ({ ...cfg, arrears: { ...cfg.arrears, ...overrides } });

describe('partial payments', () => {
  it('keep owing the remainder: arrears, evidence and prediction use amount_remaining, lateness runs from the due date', () => {
    const partly = inv('in_partly', { due: -50, paid: null, total: 100_000, remaining: 40_000 });
    const result = assessClient(history([...punctual(3, { lastDue: -60 }), partly]), NOW, cfg);
    expect(result.metrics).toMatchObject({
      invoicesDue: 4,
      lateCount: 1,
      maxDaysLate: 50,
      arrears: [{ amount: 40_000, currency: 'eur' }],
      oldestArrearsDays: 50,
    });
    expect(result.flags).toEqual(['arrears']);
    expect(result.reasons.arrears).toBe('€400.00 overdue, the oldest 50 days past due');
    expect(result.evidence.arrears).toEqual([
      { kind: 'invoice', id: 'in_partly', amount: { amount: 40_000, currency: 'eur' }, date: iso(-50), daysLate: 50, detail: 'IN_PARTLY' },
    ]);
    // Still unpaid 50 days after the due date: expected later than today, never today or before.
    expect(result.predictions).toEqual([expect.objectContaining({ invoiceId: 'in_partly', amount: { amount: 40_000, currency: 'eur' }, dueDate: iso(-50) })]);
    expect(result.predictions[0].earliest > iso(0)).toBe(true);
    expect({ score: result.score, level: result.level }).toEqual({ score: 34, level: 'watch' });
  });

  it('owe nothing overdue while the rest is not yet due', () => {
    const partly = inv('in_partly', { due: 10, paid: null, total: 100_000, remaining: 30_000 });
    const result = assessClient(history([...punctual(3), partly]), NOW, cfg);
    expect(result.metrics).toMatchObject({ invoicesDue: 3, lateCount: 0, arrears: [], oldestArrearsDays: 0 });
    expect(result.flags).toEqual([]);
    expect(result.predictions).toEqual([
      expect.objectContaining({ invoiceId: 'in_partly', amount: { amount: 30_000, currency: 'eur' }, dueDate: iso(10), expectedDate: iso(10) }),
    ]);
  });
});

describe('voided and uncollectible invoices', () => {
  it('ignore a voided invoice, even one long overdue when it was voided', () => {
    const voided = inv('in_void', { due: -60, status: 'void', voided: -10, remaining: 0 });
    const result = assessClient(history([...punctual(3, { lastDue: -70 }), voided]), NOW, cfg);
    expect(result.metrics).toMatchObject({ invoicesDue: 3, lateCount: 0, maxDaysLate: 0, arrears: [] });
    expect(result.metrics.discounts.count).toBe(0);
    expect(result.predictions).toEqual([]);
    expect(result.flags).toEqual([]);
    expect(result.score).toBe(0);
  });

  it('count an uncollectible invoice as unpaid and late until now, but not as arrears (only open invoices are)', () => {
    const writtenOff = inv('in_bad', { due: -45, status: 'uncollectible' });
    const result = assessClient(history([...punctual(3, { lastDue: -60 }), writtenOff]), NOW, cfg);
    expect(result.metrics).toMatchObject({ invoicesDue: 4, lateCount: 1, maxDaysLate: 45, medianDaysLate: 0, arrears: [], oldestArrearsDays: 0 });
    expect(result.predictions).toEqual([]);
    expect(result.flags).toEqual([]);
    expect({ score: result.score, level: result.level }).toEqual({ score: 15, level: 'ok' });
  });

  it('read a void re-issued for less as a discount of the difference, matched to the first re-issue whatever the order', () => {
    const voided = inv('in_void', { due: -60, status: 'void', created: -90, voided: -85, total: 100_000, remaining: 0 });
    const firstReissue = inv('in_re1', { due: -55, created: -84, total: 80_000 });
    const laterInvoice = inv('in_re2', { due: -50, created: -70, total: 90_000 });
    for (const invoices of [
      [voided, firstReissue, laterInvoice],
      [laterInvoice, voided, firstReissue],
      [firstReissue, laterInvoice, voided],
    ]) {
      const result = assessClient(history([...punctual(3, { lastDue: -100 }), ...invoices]), NOW, cfg);
      expect(result.metrics.discounts).toMatchObject({ count: 1, totals: [{ amount: 20_000, currency: 'eur' }] });
    }
  });
});

describe('credit notes after payment', () => {
  const paid = punctual(4);
  const note = (id: string, amount: number, reducesOwed: boolean, invoice = paid[2]): CreditNoteFact => ({
    id,
    invoiceId: invoice.id,
    currency: 'eur',
    amount,
    reducesOwed,
    createdAt: day(-20),
  });

  it('are a discount event with their amount and date, and leave lateness alone', () => {
    const result = assessClient(history(paid, { creditNotes: [note('cn_off', 12_000, true), note('cn_dup', 5_000, false)] }), NOW, cfg);
    expect(result.metrics).toMatchObject({ invoicesDue: 4, lateCount: 0, maxDaysLate: 0 });
    expect(result.metrics.discounts).toEqual({
      count: 1,
      countInWindow: 1,
      totals: [{ amount: 12_000, currency: 'eur' }],
      shareOfBilling: 0.03,
      weightedCount: 0.9,
    });
    expect(result.flags).toEqual([]);
  });

  it('flag repeated discount demands once they pass 10 % of billing, with the credit note as evidence', () => {
    const result = assessClient(history(paid, { creditNotes: [note('cn_big', 60_000, true)] }), NOW, cfg);
    expect(result.flags).toEqual(['repeated_discount_demands']);
    expect(result.reasons.repeated_discount_demands).toBe('€600.00 in discounts over the last 365 days, 15% of billing (1 credit note on 5 Nov)');
    expect(result.evidence.repeated_discount_demands).toEqual([
      { kind: 'credit_note', id: 'cn_big', amount: { amount: 60_000, currency: 'eur' }, date: iso(-20), detail: `credit note on invoice ${paid[2].number}` },
    ]);
  });
});

describe('zero-decimal currencies', () => {
  it('treat yen amounts as whole yen in arrears, discounts and reasons', () => {
    const yen = punctual(4, { lastDue: -60, currency: 'jpy', total: 120_000 });
    const coupon = inv('in_coupon', { due: -40, currency: 'jpy', total: 108_000, discount: 12_000 });
    const open = inv('in_open', { due: -35, paid: null, currency: 'jpy', total: 120_000 });
    const result = assessClient(history([...yen, coupon, open]), NOW, cfg);
    expect(result.metrics.arrears).toEqual([{ amount: 120_000, currency: 'jpy' }]);
    expect(result.reasons.arrears).toBe('JP¥120,000 overdue, the oldest 35 days past due');
    // ¥12,000 off ¥720,000 billed before discounts (six invoices of ¥120,000).
    expect(result.metrics.discounts).toEqual({
      count: 1,
      countInWindow: 1,
      totals: [{ amount: 12_000, currency: 'jpy' }],
      shareOfBilling: 0.017,
      weightedCount: 0.7,
    });
  });
});

describe('several currencies for one client', () => {
  it('sum arrears per currency, never across them', () => {
    const result = assessClient(
      history([
        ...punctual(3, { lastDue: -90 }),
        inv('in_eur', { due: -40, paid: null, total: 20_000 }),
        inv('in_jpy', { due: -35, paid: null, currency: 'jpy', total: 10_000 }),
      ]),
      NOW,
      cfg,
    );
    expect(result.metrics.arrears).toEqual([
      { amount: 20_000, currency: 'eur' },
      { amount: 10_000, currency: 'jpy' },
    ]);
    expect(result.reasons.arrears).toBe('€200.00 + JP¥10,000 overdue, the oldest 40 days past due');
  });

  it('apply the arrears minimum to each currency: €200 and ¥10,000 are not €300 overdue', () => {
    const owes = (eur: number) => [
      ...punctual(3, { lastDue: -90 }),
      inv('in_eur', { due: -40, paid: null, total: eur }),
      inv('in_jpy', { due: -35, paid: null, currency: 'jpy', total: 10_000 }),
    ];
    expect(assessClient(history(owes(20_000)), NOW, withArrears({ minAmount: 25_000 })).flags).not.toContain('arrears');
    expect(assessClient(history(owes(30_000)), NOW, withArrears({ minAmount: 25_000 })).flags).toContain('arrears');
  });

  it('judge the discount share per currency, the worst one counting', () => {
    const eur = punctual(4);
    const eurCoupon = inv('in_eur_coupon', { due: -20, total: 80_000, discount: 20_000 });
    const usd = inv('in_usd', { due: -25, currency: 'usd', total: 85_000, discount: 15_000 });
    const result = assessClient(history([...eur, eurCoupon, usd]), NOW, cfg);
    // €200 of €5,000 is 4 %; $150 of $1,000 is 15 %. Mixed, it would have read 35,000 / 600,000 = 6 %.
    expect(result.metrics.discounts.totals).toEqual([
      { amount: 20_000, currency: 'eur' },
      { amount: 15_000, currency: 'usd' },
    ]);
    expect(result.metrics.discounts.shareOfBilling).toBe(0.15);
    expect(result.flags).toEqual(['repeated_discount_demands']);
  });

  it('do not read a credit note in a currency no longer billed as 100 % of billing', () => {
    // Billed in usd before the lookback, in eur since; a usd credit note on the old invoice.
    const old = inv('in_old_usd', { due: -400, created: -430, currency: 'usd' });
    const note: CreditNoteFact = { id: 'cn_usd', invoiceId: old.id, currency: 'usd', amount: 10_000, reducesOwed: true, createdAt: day(-300) };
    const result = assessClient(history([old, ...punctual(6)], { creditNotes: [note] }), NOW, cfg);
    expect(result.metrics.discounts).toMatchObject({ count: 1, countInWindow: 1, totals: [{ amount: 10_000, currency: 'usd' }], shareOfBilling: 0 });
    expect(result.flags).toEqual([]);
  });
});

describe('clients with fewer than 6 due invoices', () => {
  it('are never chronic late payers, however late, but still show their lateness, graded as thin evidence', () => {
    const result = assessClient(history([inv('in_1', { due: -90, paid: 40 }), inv('in_2', { due: -60, paid: 50 })]), NOW, cfg);
    expect(result.metrics).toMatchObject({ invoicesDue: 2, lateCount: 2, medianDaysLate: 45, maxDaysLate: 50 });
    expect(result.flags).toEqual([]);
    // Two invoices both weeks late: worth watching, but 2 of 6 invoices' worth of evidence.
    expect({ score: result.score, level: result.level }).toEqual({ score: 30, level: 'watch' });
  });

  it('can still be in arrears', () => {
    const result = assessClient(history([inv('in_1', { due: -90 }), inv('in_2', { due: -60, paid: null })]), NOW, cfg);
    expect(result.flags).toEqual(['arrears']);
  });

  it('become chronic at the sixth due invoice when half of them were late', () => {
    const five = [20, 0, 20, 0, 20].map((paid, i) => inv(`in_${i + 1}`, { due: -180 + 30 * i, paid }));
    expect(assessClient(history(five), NOW, cfg).flags).toEqual([]);
    const six = [...five, inv('in_6', { due: -30, paid: 0 })];
    const result = assessClient(history(six), NOW, cfg);
    expect(result.flags).toEqual(['chronic_late_payer']);
    expect(result.reasons.chronic_late_payer).toBe('paid 3 of 6 invoices due between 29 May and 26 Oct more than 3 days late, 10 days late on median');
  });
});

describe('invoices without a due date (charge_automatically)', () => {
  // The ledger stores the effective due date (architecture.md "Words"): finalization for card invoices.
  const card = (id: string, finalized: number, spec: Omit<InvoiceSpec, 'due' | 'created'> = {}) => inv(id, { ...spec, due: finalized, created: finalized });

  it('are on time when the card is charged at finalization and late from finalization when retries drag on', () => {
    const invoices = [card('in_c1', -120), card('in_c2', -90), card('in_c3', -60), card('in_c4', -30, { paid: 9, attempts: 3 })];
    const result = assessClient(history(invoices), NOW, cfg);
    expect(result.metrics).toMatchObject({ invoicesDue: 4, lateCount: 1, maxDaysLate: 9, failedPaymentAttempts: 2 });
    expect(result.flags).toEqual([]);
  });

  it('fall into arrears from finalization while the card keeps failing', () => {
    const invoices = [card('in_c1', -120), card('in_c2', -90), card('in_c3', -60), card('in_c4', -35, { paid: null, attempts: 4 })];
    const result = assessClient(history(invoices), NOW, cfg);
    expect(result.metrics).toMatchObject({ oldestArrearsDays: 35, failedPaymentAttempts: 4 });
    expect(result.flags).toEqual(['arrears']);
    expect(result.factors).toEqual(expect.arrayContaining([{ factor: 'failed_payments', points: 4, detail: '4 failed payment attempts' }]));
  });

  it('are not judged before they have a due date at all', () => {
    const pending = { ...card('in_c5', -5, { paid: null }), dueAt: null };
    const result = assessClient(history([...punctual(3), pending]), NOW, cfg);
    expect(result.metrics).toMatchObject({ invoicesDue: 3, arrears: [] });
    expect(result.predictions).toEqual([]);
  });
});

describe('a punctual client with one unlucky late invoice', () => {
  const lateness = [0, 1, 0, 0, 0, 2, 0, 0, 1];
  it.each([
    ['early in the record', 1],
    ['in the middle', 4],
    ['the most recent one', 8],
  ])('is never a chronic late payer (unlucky invoice %s)', (_where, index) => {
    const invoices = lateness.map((late, i) => inv(`in_${i + 1}`, { due: -30 * (lateness.length - i), paid: i === index ? 45 : late }));
    const result = assessClient(history(invoices), NOW, cfg);
    expect(result.metrics).toMatchObject({ invoicesDue: 9, lateCount: 1, maxDaysLate: 45, medianDaysLate: 0 });
    expect(result.flags).toEqual([]);
    expect(result.level).toBe('ok');
  });

  it('is in arrears, not chronic, while that invoice is still unpaid', () => {
    const invoices = [...lateness.slice(0, 8).map((late, i) => inv(`in_${i + 1}`, { due: -30 * (9 - i), paid: late })), inv('in_9', { due: -45, paid: null })];
    const result = assessClient(history(invoices), NOW, cfg);
    expect(result.flags).toEqual(['arrears']);
    expect(result.metrics.lateCount).toBe(1);
  });

  it('is not chronic on a short record either: 3 invoices, one 60 days late', () => {
    const result = assessClient(history([inv('in_1', { due: -90 }), inv('in_2', { due: -60, paid: 60 }), inv('in_3', { due: -30, paid: 1 })]), NOW, cfg);
    expect(result.metrics.medianDaysLate).toBe(1);
    expect(result.flags).toEqual([]);
  });
});
