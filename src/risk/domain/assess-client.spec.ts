import { loadConfig } from '../../config';
import { assessClient } from './assess-client';
import type { InvoiceFact } from './client-history';
import { daysLate } from './days-late';
import { DAY_MS } from '../../common/time';
import { historiesOf, invoicesFrom } from './testing/ledger-facts';

const cfg = loadConfig({}).policy.detection;
const NOW = new Date('2026-11-25T12:00:00Z');
const day = (offset: number) => new Date(NOW.getTime() + offset * DAY_MS);

const facts = invoicesFrom(NOW);
let seq = 0;
/** An invoice due `dueOffset` days from NOW, paid `paidAfterDue` days after it (null: open), through the shared builder. */
function invoice(dueOffset: number, paidAfterDue: number | null, overrides: Partial<InvoiceFact> = {}): InvoiceFact {
  seq += 1;
  return { ...facts(`in_${seq}`, { due: dueOffset, paid: paidAfterDue }), ...overrides };
}

const history = historiesOf('cus_test');

/** Monthly invoices, oldest first, each paid `lateness[i]` days after its due date. */
const monthly = (lateness: Array<number | null>) => lateness.map((late, i) => invoice(-30 * (lateness.length - i), late));

describe('daysLate', () => {
  it('measures paid invoices from due to paid, open ones from due to now, floored, never negative', () => {
    expect(daysLate(invoice(-10, 4.9), NOW)).toBe(4);
    expect(daysLate(invoice(-10, -3), NOW)).toBe(0);
    expect(daysLate(invoice(-10, null), NOW)).toBe(10);
    expect(daysLate(invoice(5, null), NOW)).toBe(0);
    expect(daysLate(invoice(-10, null, { status: 'void' }), NOW)).toBe(0);
  });
});

describe('assessClient', () => {
  it('flags a chronic late payer with the invoices as evidence and a plain reason', () => {
    const result = assessClient(history(monthly([0, 20, 1, 25, 18, 0, 22, 30])), NOW, cfg);
    expect(result.flags).toContain('chronic_late_payer');
    expect(result.reasons.chronic_late_payer).toBe('paid 5 of 8 invoices due between 30 Mar and 26 Oct more than 3 days late, 19 days late on median');
    expect(result.evidence.chronic_late_payer?.map((e) => e.daysLate)).toEqual([20, 25, 18, 22, 30]);
    expect(result.evidence.chronic_late_payer?.[0]).toMatchObject({ kind: 'invoice', amount: { amount: 100_000, currency: 'eur' } });
  });

  it('never flags one unlucky late invoice among punctual ones', () => {
    const result = assessClient(history(monthly([0, 1, 0, 45, 2, 0, 1, 0, 0])), NOW, cfg);
    expect(result.flags).toEqual([]);
    expect(result.level).toBe('ok');
  });

  it('needs at least 3 due invoices before calling anyone chronic', () => {
    const result = assessClient(history(monthly([40, 50])), NOW, cfg);
    expect(result.flags).not.toContain('chronic_late_payer');
  });

  it('counts open invoices past due as late and as arrears per currency', () => {
    const result = assessClient(
      history([...monthly([0, 0, 0, 0]), invoice(-75, null), invoice(-40, null, { currency: 'usd', total: 5000, amountRemaining: 5000 })]),
      NOW,
      cfg,
    );
    expect(result.flags).toContain('arrears');
    expect(result.metrics.arrears).toEqual([
      { amount: 100_000, currency: 'eur' },
      { amount: 5000, currency: 'usd' },
    ]);
    expect(result.metrics.oldestArrearsDays).toBe(75);
    expect(result.reasons.arrears).toBe('€1,000.00 + US$50.00 overdue, the oldest 75 days past due');
  });

  it('treats a partial payment as still owing the remainder', () => {
    const partial = invoice(-50, null, { amountRemaining: 40_000 });
    const result = assessClient(history([...monthly([0, 0, 0]), partial]), NOW, cfg);
    expect(result.metrics.arrears).toEqual([{ amount: 40_000, currency: 'eur' }]);
  });

  it('ignores voided invoices for lateness and counts uncollectible ones as unpaid', () => {
    const voided = invoice(-60, null, { status: 'void', amountRemaining: 0, voidedAt: day(-58) });
    const uncollectible = invoice(-45, null, { status: 'uncollectible' });
    const result = assessClient(history([...monthly([0, 0, 0]), voided, uncollectible]), NOW, cfg);
    expect(result.metrics.invoicesDue).toBe(4);
    expect(result.metrics.maxDaysLate).toBe(45);
  });

  it('uses zero-decimal currencies as whole units', () => {
    const yen = monthly([0, 0, 0]).map((i) => ({ ...i, currency: 'jpy', total: 120_000, subtotal: 120_000 }));
    const open = invoice(-35, null, { currency: 'jpy', total: 120_000, amountRemaining: 120_000 });
    const result = assessClient(history([...yen, open]), NOW, cfg);
    expect(result.reasons.arrears).toBe('JP¥120,000 overdue, the oldest 35 days past due');
  });

  it('finds all four kinds of discount event, including a credit note after payment', () => {
    const paid = monthly([0, 0, 0, 0, 0]);
    const coupon = invoice(-20, 0, { totalDiscount: 10_000 });
    const voided = invoice(-60, null, { status: 'void', voidedAt: day(-62), total: 100_000, amountRemaining: 0, createdAt: day(-70) });
    const reissued = invoice(-50, 0, { total: 80_000, subtotal: 80_000, createdAt: day(-60) });
    const result = assessClient(
      history([...paid, coupon, voided, reissued], {
        creditNotes: [
          { id: 'cn_1', invoiceId: paid[4].id, currency: 'eur', amount: 15_000, reducesOwed: true, createdAt: day(-10) },
          { id: 'cn_2', invoiceId: paid[3].id, currency: 'eur', amount: 5_000, reducesOwed: false, createdAt: day(-9) },
        ],
        discountRequests: [{ id: 'dr_1', currency: 'eur', amount: 20_000, requestedAt: day(-5), note: 'asked for 20% off' }],
      }),
      NOW,
      cfg,
    );
    expect(result.flags).toContain('repeated_discount_demands');
    expect(result.evidence.repeated_discount_demands?.map((e) => e.kind).sort()).toEqual(['coupon', 'credit_note', 'discount_request', 'void_reissue']);
    expect(result.evidence.repeated_discount_demands?.find((e) => e.kind === 'void_reissue')?.amount).toEqual({ amount: 20_000, currency: 'eur' });
  });

  it('flags slipping only after a record of punctuality', () => {
    expect(assessClient(history(monthly([0, 0, 1, 0, 0, 2, 0, 0, 15, 20])), NOW, cfg).flags).toEqual(['slipping']);
    expect(assessClient(history(monthly([0, 15, 20])), NOW, cfg).flags).not.toContain('slipping');
  });

  it('measures charge_automatically invoices from finalization (their due date)', () => {
    const auto = monthly([0, 0, 0, 0, 0, 0]).map((i) => ({ ...i, dueAt: i.createdAt, paidAt: new Date(i.createdAt.getTime() + 20 * DAY_MS) }));
    const result = assessClient(history(auto), NOW, cfg);
    expect(result.metrics.medianDaysLate).toBe(20);
    expect(result.flags).toContain('chronic_late_payer');
  });

  it('keeps each score factor and maps the score to a level', () => {
    const result = assessClient(
      history(monthly([0, 20, 1, 25, 18, 0, 22, 30]), { disputes: [{ id: 'dp_1', currency: 'eur', amount: 1000, status: 'lost', createdAt: day(-20) }] }),
      NOW,
      cfg,
    );
    expect(result.score).toBe(result.factors.reduce((sum, f) => sum + f.points, 0));
    expect(result.flags).toEqual(['chronic_late_payer', 'disputes']);
    expect(result.factors.map((f) => f.factor)).toEqual(expect.arrayContaining(['how_late', 'how_often', 'how_recent', 'disputes']));
    for (const factor of result.factors) expect(factor.detail).toMatch(/\w+ \w+/);
    expect(['risky', 'critical']).toContain(result.level);
  });

  it("predicts payment of open invoices from the client's own lateness", () => {
    const result = assessClient(history([...monthly([10, 10, 12, 8]), invoice(5, null)]), NOW, cfg);
    // Median 10 days late, pulled a little towards the book on four invoices.
    expect(result.predictions).toEqual([expect.objectContaining({ dueDate: day(5).toISOString().slice(0, 10), basedOn: 4 })]);
    expect([13, 14, 15].map((offset) => day(offset).toISOString().slice(0, 10))).toContain(result.predictions[0].expectedDate);
  });
});
