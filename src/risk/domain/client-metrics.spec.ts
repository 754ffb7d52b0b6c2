import { loadConfig } from '../../config';
import type { ClientHistory, DisputeFact, InvoiceFact } from './client-history';
import { computeMetrics } from './client-metrics';
import { DAY_MS } from '../../common/time';
import { historiesOf, invoicesFrom, type InvoiceSpec } from './testing/ledger-facts';

/**
 * Every lateness metric with hand-computed values. Defaults from config/default.yaml: lookback
 * 365 days, grace 3 days (late = more than 3 days late), slipping looks at the last 3 due invoices.
 * Percentiles interpolate linearly between ranks: rank = p/100 × (n − 1) over the sorted values.
 */
const cfg = loadConfig({}).policy.detection;
const NOW = new Date('2026-11-25T12:00:00Z');
const day = (offset: number) => new Date(NOW.getTime() + offset * DAY_MS);

const inv = invoicesFrom(NOW);

const history = historiesOf('cus_metrics');

/** Monthly paid invoices, oldest first, the last one due 30 days ago, each paid `lateness[i]` days after its due date. */
const monthly = (lateness: number[], spec: Omit<InvoiceSpec, 'due' | 'paid'> = {}) =>
  lateness.map((late, i) => inv(`in_m${String(i + 1).padStart(2, '0')}`, { ...spec, due: -30 * (lateness.length - i), paid: late }));

const metricsOf = (invoices: InvoiceFact[], extra: Partial<ClientHistory> = {}) => computeMetrics(history(invoices, extra), NOW, cfg).metrics;

describe('computeMetrics: days late statistics', () => {
  it('counts a late payment stamped after now as late today, never a negative number of days ago', () => {
    // The last invoice, due 30 days ago, paid 36 days after its due date: 6 days from now.
    expect(metricsOf(monthly([0, 0, 36])).severity.daysSinceLastLate).toBe(0);
    expect(metricsOf(monthly([0, 20, 0])).severity.daysSinceLastLate).toBe(40);
  });

  it('gives average, median, p90 and max days late of eight paid invoices', () => {
    // Days late in due order 0, 20, 1, 25, 18, 0, 22, 30; sorted 0, 0, 1, 18, 20, 22, 25, 30 (n = 8).
    const workings = computeMetrics(history(monthly([0, 20, 1, 25, 18, 0, 22, 30])), NOW, cfg);
    expect(workings.metrics).toMatchObject({
      invoicesDue: 8,
      lateCount: 5, // 20, 25, 18, 22, 30 are > 3
      lateShare: 0.625, // 5 / 8
      avgDaysLate: 14.5, // (0+20+1+25+18+0+22+30) / 8 = 116 / 8
      medianDaysLate: 19, // rank 0.5×7 = 3.5 → 18 + 0.5×(20−18)
      p90DaysLate: 26.5, // rank 0.9×7 = 6.3 → 25 + 0.3×(30−25)
      maxDaysLate: 30,
    });
    expect(workings.medianDaysLate).toBe(19);
    expect(workings.due.map((entry) => entry.daysLate)).toEqual([0, 20, 1, 25, 18, 0, 22, 30]);
  });

  it('rounds the average to one decimal', () => {
    // Days late 0, 4, 5, 8, 13, 40 (already sorted, n = 6).
    expect(metricsOf(monthly([0, 4, 5, 8, 13, 40]))).toMatchObject({
      invoicesDue: 6,
      lateCount: 5, // all but the 0
      lateShare: 0.833, // 5 / 6 = 0.8333… → 83.3 % → 0.833
      avgDaysLate: 11.7, // 70 / 6 = 11.666…
      medianDaysLate: 6.5, // rank 0.5×5 = 2.5 → 5 + 0.5×(8−5)
      p90DaysLate: 26.5, // rank 0.9×5 = 4.5 → 13 + 0.5×(40−13)
      maxDaysLate: 40,
    });
  });

  it('floors fractional days and calls an invoice late only beyond the 3 grace days', () => {
    // Paid 3, 3.9 (floored to 3), 4 and 0 days late: only the 4 is late.
    expect(metricsOf(monthly([3, 3.9, 4, 0]))).toMatchObject({
      invoicesDue: 4,
      lateCount: 1,
      lateShare: 0.25, // 1 / 4
      avgDaysLate: 2.5, // (3+3+4+0) / 4 = 10 / 4
      medianDaysLate: 3, // sorted 0, 3, 3, 4; rank 1.5 → 3 + 0.5×0
      p90DaysLate: 3.7, // rank 2.7 → 3 + 0.7×(4−3)
      maxDaysLate: 4,
    });
  });

  it('counts open and uncollectible invoices late until now, and skips the not yet due, void, draft and those due before the lookback', () => {
    const invoices = [
      inv('in_open', { due: -20, paid: null }), // 20 days late so far
      inv('in_bad', { due: -50, status: 'uncollectible' }), // 50
      inv('in_paid', { due: -90, paid: 10 }), // 10
      inv('in_edge', { due: -365, paid: 0 }), // due exactly at the lookback start: still counts, 0
      inv('in_future', { due: 5, paid: null }),
      inv('in_void', { due: -60, status: 'void' }),
      inv('in_draft', { due: -70, status: 'draft' }),
      inv('in_old', { due: -400, paid: 90 }),
    ];
    const workings = computeMetrics(history(invoices), NOW, cfg);
    expect(workings.due.map((entry) => [entry.invoice.id, entry.daysLate])).toEqual([
      ['in_edge', 0],
      ['in_paid', 10],
      ['in_bad', 50],
      ['in_open', 20],
    ]);
    // Sorted 0, 10, 20, 50 (n = 4).
    expect(workings.metrics).toMatchObject({
      invoicesDue: 4,
      lateCount: 3,
      lateShare: 0.75, // 3 / 4
      avgDaysLate: 20, // 80 / 4
      medianDaysLate: 15, // rank 1.5 → 10 + 0.5×(20−10)
      p90DaysLate: 41, // rank 2.7 → 20 + 0.7×(50−20)
      maxDaysLate: 50,
    });
  });

  it('is all zeros for a client with nothing due', () => {
    expect(metricsOf([inv('in_future', { due: 10, paid: null })])).toMatchObject({
      invoicesDue: 0,
      lateCount: 0,
      lateShare: 0,
      avgDaysLate: 0,
      medianDaysLate: 0,
      p90DaysLate: 0,
      maxDaysLate: 0,
      amountWeightedDaysLate: 0,
      trend: { recentLateShare: 0, earlierLateShare: 0, earlierCount: 0 },
      disputes: { count: 0, lost: 0 },
    });
  });
});

describe('computeMetrics: late share', () => {
  it('is the share of due invoices paid late, to a tenth of a percent', () => {
    // 2 of 3 late: 0.6666… → 66.7 % → 0.667; all late: 1; none late: 0.
    expect(metricsOf(monthly([10, 0, 10])).lateShare).toBe(0.667);
    expect(metricsOf(monthly([10, 20, 30])).lateShare).toBe(1);
    expect(metricsOf(monthly([0, 1, 2])).lateShare).toBe(0);
  });

  // Rounding in two steps (57.1, then / 100) would give 0.5710000000000001 in the API and the
  // stored JSON; shares are rounded in one step.
  it('is 0.571 for 4 of 7 late, with no float noise in the JSON', () => {
    const metrics = metricsOf(monthly([10, 0, 10, 0, 10, 0, 10]));
    expect(metrics.lateCount).toBe(4);
    expect(metrics.invoicesDue).toBe(7);
    // 4 / 7 = 0.571428… → 57.1 % → 0.571
    expect(metrics.lateShare).toBe(0.571);
    expect(JSON.stringify(metrics)).toContain('"lateShare":0.571,');
  });
});

describe('computeMetrics: amount-weighted days late', () => {
  it('weights each invoice by its total in a single currency', () => {
    // (5×100,000 + 0×200,000 + 12×400,000) / 700,000 = 5,300,000 / 700,000 = 7.571… → 7.6,
    // where the plain average is (5+0+12) / 3 = 5.666… → 5.7.
    const invoices = [
      inv('in_1', { due: -90, paid: 5, total: 100_000 }),
      inv('in_2', { due: -60, paid: 0, total: 200_000 }),
      inv('in_3', { due: -30, paid: 12, total: 400_000 }),
    ];
    expect(metricsOf(invoices)).toMatchObject({ amountWeightedDaysLate: 7.6, avgDaysLate: 5.7 });
  });

  it('weights zero-decimal yen invoices by their whole-yen totals', () => {
    // (0×120,000 + 20×30,000) / 150,000 = 600,000 / 150,000 = 4; plain average 20 / 2 = 10.
    const invoices = [inv('in_1', { due: -60, paid: 0, currency: 'jpy', total: 120_000 }), inv('in_2', { due: -30, paid: 20, currency: 'jpy', total: 30_000 })];
    expect(metricsOf(invoices)).toMatchObject({ amountWeightedDaysLate: 4, avgDaysLate: 10 });
  });

  // Amounts in different currencies never mix (as for the discount share and arrears): per
  // currency, euro 10 and yen 2, the worst counts. Mixing cents and yen would give
  // (20×50,000 + 4×200,000) / 500,000 = 3.6, and 2.0 with the yen totals ×100.
  it('weights days late within each currency, never adding euro cents to yen', () => {
    const client = (yenScale: number) => [
      // euro: (0×50,000 + 20×50,000) / 100,000 = 10
      inv('in_eur_1', { due: -120, paid: 0, total: 50_000 }),
      inv('in_eur_2', { due: -90, paid: 20, total: 50_000 }),
      // yen: (0×200,000 + 4×200,000) / 400,000 = 2
      inv('in_jpy_1', { due: -60, paid: 0, currency: 'jpy', total: 200_000 * yenScale }),
      inv('in_jpy_2', { due: -30, paid: 4, currency: 'jpy', total: 200_000 * yenScale }),
    ];
    expect(metricsOf(client(1)).amountWeightedDaysLate).toBe(10);
    expect(metricsOf(client(100)).amountWeightedDaysLate).toBe(metricsOf(client(1)).amountWeightedDaysLate);
  });
});

describe('computeMetrics: trend', () => {
  it('compares the last 3 due invoices with the earlier ones in the lookback, whatever the input order', () => {
    // Due order: 0, 0, 1, 0, 0, 2, 0 | 0, 15, 20. Recent: 2 of 3 late → 0.667; earlier: 0 of 7 → 0.
    // An invoice due before the lookback (400 days ago, 30 days late) is in neither.
    const invoices = [...monthly([0, 0, 1, 0, 0, 2, 0, 0, 15, 20]), inv('in_old', { due: -400, paid: 30 })];
    const expected = { recentLateShare: 0.667, earlierLateShare: 0, earlierCount: 7 };
    expect(metricsOf(invoices).trend).toEqual(expected);
    expect(metricsOf([...invoices].reverse()).trend).toEqual(expected);
    expect(metricsOf(invoices).lateShare).toBe(0.2); // 2 / 10
  });

  it('splits four earlier invoices from the three recent ones', () => {
    // Earlier 10, 20, 0, 0 → 2 of 4 late = 0.5; recent 0, 9, 7 → 2 of 3 = 0.667.
    expect(metricsOf(monthly([10, 20, 0, 0, 0, 9, 7])).trend).toEqual({ recentLateShare: 0.667, earlierLateShare: 0.5, earlierCount: 4 });
  });

  it('has no earlier invoices while fewer than 3 are due', () => {
    // Both due invoices are recent: 1 of 2 late = 0.5.
    expect(metricsOf(monthly([10, 0])).trend).toEqual({ recentLateShare: 0.5, earlierLateShare: 0, earlierCount: 0 });
  });

  // Rounded in one step like lateShare (two steps would give 0.33299999999999996 and 0.14300000000000002).
  it('is 0.333 recent and 0.143 earlier for 1 of 3 and 1 of 7 late, with no float noise', () => {
    // Earlier 5, 0, 0, 0, 0, 0, 0 → 1 of 7 = 0.142857… → 0.143; recent 0, 0, 30 → 1 of 3 = 0.333….
    expect(metricsOf(monthly([5, 0, 0, 0, 0, 0, 0, 0, 0, 30])).trend).toEqual({ recentLateShare: 0.333, earlierLateShare: 0.143, earlierCount: 7 });
  });
});

describe('computeMetrics: disputes', () => {
  const dispute = (id: string, status: string, at: number): DisputeFact => ({ id, currency: 'eur', amount: 10_000, status, createdAt: day(at) });

  it('counts disputes opened in the lookback up to now, and the lost ones among them', () => {
    const disputes = [
      dispute('dp_lost', 'lost', -20),
      dispute('dp_won', 'won', -100),
      dispute('dp_open', 'needs_response', -5),
      dispute('dp_edge', 'lost', -365), // exactly at the lookback start: counts
      dispute('dp_old', 'lost', -400), // before the lookback
      dispute('dp_future', 'lost', 3), // after now
    ];
    expect(metricsOf(monthly([0, 0, 0]), { disputes }).disputes).toEqual({ count: 4, lost: 2, weightedCount: 2.5 });
  });
});
