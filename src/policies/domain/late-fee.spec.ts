import { money, type Money } from '../../common/money';
import { policyFileSchema } from '../../config/policy-file.schema';
import { computeLateFee, type LateFeeDecision, type LateFeeSettings, type OverdueInvoiceFacts } from './late-fee';
import { DAY_MS } from '../../common/time';

/*
 * Every expected amount below is worked by hand in the comment beside it, in minor units:
 * interest = remaining × rate% / 100 × days / 365, rounded half-up once per component.
 */
const DUE = new Date('2026-03-02T17:00:00Z');
const daysAfterDue = (days: number, extraMs = 0) => new Date(DUE.getTime() + days * DAY_MS + extraMs);

/** Settings go through the real schema, so defaults and validation are the ones the app uses. */
const settingsFor = (lateFee: Record<string, unknown>): LateFeeSettings => policyFileSchema.parse({ policies: { lateFee } }).lateFee;

function facts(remaining: number, currency: string, overrides: Partial<OverdueInvoiceFacts> = {}): OverdueInvoiceFacts {
  return {
    invoiceId: 'in_42',
    number: 'INV-0042',
    dueAt: DUE,
    remaining: money(remaining, currency),
    principal: money(remaining, currency),
    feesAlreadyCharged: money(0, currency),
    periodsAlreadyCharged: 0,
    ...overrides,
  };
}

/** Computes a fee that must exist, and checks the invariants every decision keeps. */
function feeFor(invoice: OverdueInvoiceFacts, settings: LateFeeSettings, now: Date): LateFeeDecision {
  const decision = computeLateFee(invoice, settings, now);
  if (!decision) throw new Error('expected a late fee, got null');
  expect(decision.fee.amount).toBeGreaterThan(0);
  expect(decision.fee.currency).toBe(invoice.remaining.currency);
  const lines = decision.breakdown.reduce((sum, line) => sum + line.amount.amount, 0);
  expect(lines).toBe(decision.fee.amount);
  return decision;
}

const amounts = (decision: LateFeeDecision): [string, number][] => decision.breakdown.map((line) => [line.label, line.amount.amount]);
const gbp = (amount: number): Money => money(amount, 'gbp');

describe('computeLateFee — UK Late Payment Act', () => {
  // method/fixedAmount/percent are set to prove the statutory preset ignores them.
  const uk = settingsFor({ preset: 'uk-late-payment-act', referenceRatePercent: 5.25, graceDays: 7, method: 'fixed', fixedAmount: 99_999, percent: 50 });

  it('charges 8% + reference rate from the due date plus the £70 tier on £5,000.00 after 35 days', () => {
    // 500000 × 13.25% × 35/365 = 500000 × 1325 × 35 / 3,650,000 = 6352.74 → 6353 pence; + £70 (debt £1,000–£9,999.99) = 13353
    const decision = feeFor(facts(500_000, 'gbp'), uk, daysAfterDue(35));
    expect(decision.fee).toEqual(gbp(13_353));
    expect(decision.period).toBe(0);
    expect(decision.daysPastDue).toBe(35);
    expect(amounts(decision)).toEqual([
      ['Interest at 13.25% p.a. (5.25% reference rate + 8%) on £5,000.00 for 35 days', 6_353],
      ['Fixed compensation for a debt of £1,000.00 to £9,999.99 (Late Payment Act)', 7_000],
    ]);
    expect(decision.description).toBe('Late payment fee for invoice INV-0042 (35 days past due): interest at 13.25% p.a. + £70.00 fixed compensation');
  });

  it.each([
    // interest at 13.25% for 35 days = remaining × 46375 / 3,650,000
    [99_999, 1_271, 4_000], //      £999.99: 1270.54 → 1271, under £1,000 → £40
    [100_000, 1_271, 7_000], //   £1,000.00: 1270.55 → 1271, £1,000 tier → £70
    [999_999, 12_705, 7_000], //  £9,999.99: 12705.47 → 12705, still £70
    [1_000_000, 12_705, 10_000], // £10,000.00: 12705.48 → 12705, £10,000 and above → £100
  ])('puts a debt of %i pence in the right compensation tier', (remaining, interest, compensation) => {
    const decision = feeFor(facts(remaining, 'gbp'), uk, daysAfterDue(35));
    expect(decision.breakdown.map((line) => line.amount.amount)).toEqual([interest, compensation]);
    expect(decision.fee).toEqual(gbp(interest + compensation));
  });

  it('charges interest only on a non-GBP debt and says why there is no compensation', () => {
    // 500000 cents × 13.25% × 35/365 = 6352.74 → 6353; no currency conversion, so no £70
    const decision = feeFor(facts(500_000, 'usd'), uk, daysAfterDue(35));
    expect(decision.fee).toEqual(money(6_353, 'usd'));
    expect(amounts(decision)[1]).toEqual(['No fixed compensation: the Late Payment Act’s £40/£70/£100 applies to GBP debts only', 0]);
    expect(decision.description).toBe('Late payment fee for invoice INV-0042 (35 days past due): interest at 13.25% p.a.');
  });

  describe('with monthly recurrence (grace 7: period k falls due after 7 + 30k days)', () => {
    const ukMonthly = { ...uk, recurrence: 'monthly' as const };

    it('charges interest accrued since the previous period, compensation only with period 0', () => {
      // period 0 at day 8: days 1–8: 500000 × 1325 × 8 / 3,650,000 = 1452.05 → 1452; + £70 = 8452
      const first = feeFor(facts(500_000, 'gbp'), ukMonthly, daysAfterDue(8));
      expect(first.period).toBe(0);
      expect(first.fee).toEqual(gbp(8_452));
      expect(amounts(first)[0][0]).toBe('Interest at 13.25% p.a. (5.25% reference rate + 8%) on £5,000.00 for 8 days (days 1–8 past due)');

      // period 1 at day 38: days 9–38 = 30 days: 500000 × 1325 × 30 / 3,650,000 = 5445.21 → 5445, no compensation
      const second = feeFor(facts(500_000, 'gbp', { periodsAlreadyCharged: 1, feesAlreadyCharged: gbp(8_452) }), ukMonthly, daysAfterDue(38));
      expect(second.period).toBe(1);
      expect(second.fee).toEqual(gbp(5_445));
      expect(amounts(second)).toEqual([['Interest at 13.25% p.a. (5.25% reference rate + 8%) on £5,000.00 for 30 days (days 9–38 past due)', 5_445]]);
      expect(second.description).toBe('Late payment fee for invoice INV-0042 (38 days past due, fee period 2): interest at 13.25% p.a.');

      // period 2 at day 68: days 39–68, again 5445
      const third = feeFor(facts(500_000, 'gbp', { periodsAlreadyCharged: 2, feesAlreadyCharged: gbp(13_897) }), ukMonthly, daysAfterDue(68));
      expect([third.period, third.fee.amount]).toEqual([2, 5_445]);
    });

    it('waits for the next period when the current one is already charged', () => {
      // day 37 is still period 0 (period 1 falls due after 37 days)
      expect(computeLateFee(facts(500_000, 'gbp', { periodsAlreadyCharged: 1 }), ukMonthly, daysAfterDue(37))).toBeNull();
    });

    it('catches up missed periods in one fee for the latest due period', () => {
      // day 70, nothing charged: latest due period is 2, interest days 1–68:
      // 500000 × 1325 × 68 / 3,650,000 = 12342.47 → 12342; + £70 = 19342 (= 8452 + 5445 + 5445 charged one by one)
      const decision = feeFor(facts(500_000, 'gbp'), ukMonthly, daysAfterDue(70));
      expect(decision.period).toBe(2);
      expect(decision.fee).toEqual(gbp(19_342));
      expect(decision.description).toBe(
        'Late payment fee for invoice INV-0042 (70 days past due, fee periods 1–3): interest at 13.25% p.a. + £70.00 fixed compensation',
      );
    });
  });
});

describe('computeLateFee — EU Late Payment Directive', () => {
  const eu = settingsFor({ preset: 'eu-late-payment-directive', referenceRatePercent: 4.5, graceDays: 0 });

  it('charges reference rate + 8 points daily plus €40 on a EUR invoice', () => {
    // 250000 × 12.5% × 45/365 = 1,406,250 / 365 = 3852.74 → 3853 cents; + €40 = 7853
    const decision = feeFor(facts(250_000, 'eur'), eu, daysAfterDue(45));
    expect(decision.fee).toEqual(money(7_853, 'eur'));
    expect(amounts(decision)).toEqual([
      ['Interest at 12.50% p.a. (4.50% reference rate + 8%) on €2,500.00 for 45 days', 3_853],
      ['Fixed compensation per late invoice (EU Late Payment Directive)', 4_000],
    ]);
    expect(decision.description).toBe('Late payment fee for invoice INV-0042 (45 days past due): interest at 12.50% p.a. + €40.00 fixed compensation');
  });

  it('charges interest only on a non-EUR invoice, with a note', () => {
    const decision = feeFor(facts(250_000, 'gbp'), eu, daysAfterDue(45));
    expect(amounts(decision)).toEqual([
      ['Interest at 12.50% p.a. (4.50% reference rate + 8%) on £2,500.00 for 45 days', 3_853],
      ['No fixed compensation: the Late Payment Directive’s €40 applies to EUR debts only', 0],
    ]);
  });
});

describe('computeLateFee — monthly 1.5 percent', () => {
  const monthly = settingsFor({ preset: 'monthly-1.5-percent', recurrence: 'monthly', graceDays: 7, percent: 9 });

  it('charges 1.5% of what is still owed for each 30-day period, one period per call, across 3 periods', () => {
    // 123456 × 1.5% = 1851.84 → 1852 per period (the `percent: 9` setting is ignored by this preset)
    expect(computeLateFee(facts(123_456, 'eur'), monthly, daysAfterDue(7))).toBeNull();
    const p0 = feeFor(facts(123_456, 'eur'), monthly, daysAfterDue(8));
    expect([p0.period, p0.fee.amount]).toEqual([0, 1_852]);
    expect(p0.description).toBe('Late payment fee for invoice INV-0042 (8 days past due, fee period 1): 1.50% of the amount outstanding');

    const p1 = feeFor(facts(123_456, 'eur', { periodsAlreadyCharged: 1, feesAlreadyCharged: money(1_852, 'eur') }), monthly, daysAfterDue(38));
    expect([p1.period, p1.fee.amount]).toEqual([1, 1_852]);

    // a partial payment before period 2: 100000 × 1.5% = 1500
    const p2 = feeFor(facts(100_000, 'eur', { periodsAlreadyCharged: 2, feesAlreadyCharged: money(3_704, 'eur') }), monthly, daysAfterDue(68));
    expect([p2.period, p2.fee.amount]).toEqual([2, 1_500]);
    expect(amounts(p2)).toEqual([['1.50% of €1,000.00 outstanding', 1_500]]);

    expect(computeLateFee(facts(100_000, 'eur', { periodsAlreadyCharged: 3 }), monthly, daysAfterDue(90))).toBeNull();
  });

  it('covers every missed period in one catch-up fee', () => {
    // day 70, nothing charged: periods 0–2 → 123456 × 1.5% × 3 = 5555.52 → 5556
    const decision = feeFor(facts(123_456, 'eur'), monthly, daysAfterDue(70));
    expect([decision.period, decision.fee.amount]).toEqual([2, 5_556]);
    expect(amounts(decision)).toEqual([['1.50% of €1,234.56 outstanding × 3 periods', 5_556]]);
  });

  it('charges once only with recurrence once', () => {
    const once = { ...monthly, recurrence: 'once' as const };
    expect(feeFor(facts(123_456, 'eur'), once, daysAfterDue(100)).fee.amount).toBe(1_852);
    expect(computeLateFee(facts(123_456, 'eur', { periodsAlreadyCharged: 1 }), once, daysAfterDue(100))).toBeNull();
  });
});

describe('computeLateFee — custom', () => {
  it('charges a fixed amount, once or per period', () => {
    const fixed = settingsFor({ preset: 'custom', method: 'fixed', fixedAmount: 2_500, graceDays: 7 });
    const once = feeFor(facts(80_000, 'gbp'), fixed, daysAfterDue(10));
    expect(once.fee).toEqual(gbp(2_500));
    expect(once.description).toBe('Late payment fee for invoice INV-0042 (10 days past due): £25.00 fixed late fee');
    // monthly at day 40, nothing charged: periods 0 and 1 due → 2 × 2500
    const monthly = feeFor(facts(80_000, 'gbp'), { ...fixed, recurrence: 'monthly' }, daysAfterDue(40));
    expect([monthly.period, monthly.fee.amount]).toEqual([1, 5_000]);
    expect(computeLateFee(facts(80_000, 'gbp'), { ...fixed, fixedAmount: 0 }, daysAfterDue(40))).toBeNull();
  });

  it('charges a percentage of the remaining amount', () => {
    const percent = settingsFor({ preset: 'custom', method: 'percent', percent: 2, graceDays: 0 });
    // 80000 × 2% = 1600
    expect(feeFor(facts(80_000, 'gbp'), percent, daysAfterDue(1)).fee).toEqual(gbp(1_600));
    // 3000 × 1.15% = 34.5 exactly → 35 half-up (in floats 3000 * 1.15 / 100 is 34.49999999999999, which rounds to 34)
    expect(feeFor(facts(3_000, 'gbp'), { ...percent, percent: 1.15 }, daysAfterDue(1)).fee).toEqual(gbp(35));
  });

  it('charges daily interest at annualRatePercent / 365', () => {
    const daily = settingsFor({ preset: 'custom', method: 'daily-interest', annualRatePercent: 10, graceDays: 14 });
    // 1000000 × 10% × 45/365 = 4,500,000 / 365 = 12328.77 → 12329 cents
    const decision = feeFor(facts(1_000_000, 'eur'), daily, daysAfterDue(45));
    expect(amounts(decision)).toEqual([['Interest at 10.00% p.a. on €10,000.00 for 45 days', 12_329]]);
    expect(decision.description).toBe('Late payment fee for invoice INV-0042 (45 days past due): interest at 10.00% p.a.');
  });
});

describe('computeLateFee — rounding', () => {
  const percent = settingsFor({ preset: 'monthly-1.5-percent', graceDays: 0 });

  it('rounds each component half-up to the minor unit', () => {
    // 300 × 1.5% = 4.5 → 5 (half-even would give 4); 100 × 1.5% = 1.5 → 2
    expect(feeFor(facts(300, 'eur'), percent, daysAfterDue(3)).fee.amount).toBe(5);
    expect(feeFor(facts(100, 'eur'), percent, daysAfterDue(3)).fee.amount).toBe(2);
    // 2500 × 36.5% × 1/365 = 2.5 → 3
    const daily = settingsFor({ preset: 'custom', method: 'daily-interest', annualRatePercent: 36.5, graceDays: 0 });
    expect(feeFor(facts(2_500, 'eur'), daily, daysAfterDue(1)).fee.amount).toBe(3);
  });

  it('has no fee when the component rounds to zero', () => {
    // 33 × 1.5% = 0.495 → 0
    expect(computeLateFee(facts(33, 'eur'), percent, daysAfterDue(3))).toBeNull();
  });
});

describe('computeLateFee — zero-decimal currency (JPY)', () => {
  it('computes in whole yen', () => {
    const daily = settingsFor({ preset: 'custom', method: 'daily-interest', annualRatePercent: 10, graceDays: 0 });
    // ¥1,000,000 × 10% × 45/365 = 12328.77 → ¥12,329 (yen have no minor unit below 1)
    const decision = feeFor(facts(1_000_000, 'jpy'), daily, daysAfterDue(45));
    expect(decision.fee).toEqual(money(12_329, 'jpy'));
    expect(amounts(decision)).toEqual([['Interest at 10.00% p.a. on JP¥1,000,000 for 45 days', 12_329]]);

    // ¥12,345 × 1.5% = 185.175 → ¥185
    const monthly = settingsFor({ preset: 'monthly-1.5-percent', graceDays: 0 });
    expect(feeFor(facts(12_345, 'jpy'), monthly, daysAfterDue(2)).fee).toEqual(money(185, 'jpy'));
    // minimumFee is in yen too: 185 → 500
    const raised = feeFor(facts(12_345, 'jpy'), { ...monthly, minimumFee: 500 }, daysAfterDue(2));
    expect(amounts(raised)).toEqual([
      ['1.50% of JP¥12,345 outstanding', 185],
      ['Raised to the minimum fee of JP¥500', 315],
    ]);
  });

  it('adds no sterling compensation to a yen debt under the UK preset', () => {
    // ¥500,000 × 13.25% × 35/365 = 6352.74 → ¥6,353, no £70
    const uk = settingsFor({ preset: 'uk-late-payment-act', referenceRatePercent: 5.25, graceDays: 7 });
    expect(feeFor(facts(500_000, 'jpy'), uk, daysAfterDue(35)).fee).toEqual(money(6_353, 'jpy'));
  });
});

describe('computeLateFee — caps and minimum fee', () => {
  const uk = settingsFor({ preset: 'uk-late-payment-act', referenceRatePercent: 5.25, graceDays: 7 });

  it('reduces the fee to an absolute cap on the total', () => {
    // 6353 + 7000 = 13353 > £100 cap → 10000, with a -3353 line so the breakdown still adds up
    const capped = feeFor(facts(500_000, 'gbp'), { ...uk, capAmount: 10_000 }, daysAfterDue(35));
    expect(capped.fee).toEqual(gbp(10_000));
    expect(amounts(capped)[2]).toEqual(['Reduced to stay within the £100.00 cap on late fees', -3_353]);
    expect(capped.description).toBe(
      'Late payment fee for invoice INV-0042 (35 days past due): interest at 13.25% p.a. + £70.00 fixed compensation (reduced to the late-fee cap)',
    );
  });

  it('counts fees already charged against the cap and stops at it', () => {
    const monthly = settingsFor({ preset: 'monthly-1.5-percent', recurrence: 'monthly', graceDays: 7, capAmount: 5_000 });
    // 1852 + 1852 = 3704 charged; headroom 5000 − 3704 = 1296 < 1852
    const third = feeFor(facts(123_456, 'eur', { periodsAlreadyCharged: 2, feesAlreadyCharged: money(3_704, 'eur') }), monthly, daysAfterDue(68));
    expect(third.fee.amount).toBe(1_296);
    expect(amounts(third)[1]).toEqual(['Reduced to stay within the €50.00 cap on late fees with €37.04 already charged', -556]);
    // cap reached: 5000 charged → nothing more, ever
    expect(computeLateFee(facts(123_456, 'eur', { periodsAlreadyCharged: 3, feesAlreadyCharged: money(5_000, 'eur') }), monthly, daysAfterDue(98))).toBeNull();
  });

  it('caps at a share of the principal, rounded down, and uses the smallest cap', () => {
    const fixed = settingsFor({ preset: 'custom', method: 'fixed', fixedAmount: 20_000, graceDays: 0, capShareOfPrincipal: 0.1 });
    // 10% of 123457 = 12345.7 → 12345 (a cap never rounds up)
    expect(feeFor(facts(50_000, 'gbp', { principal: gbp(123_457) }), fixed, daysAfterDue(5)).fee).toEqual(gbp(12_345));
    // £120.00 absolute cap is smaller than the 12345 share cap
    expect(feeFor(facts(50_000, 'gbp', { principal: gbp(123_457) }), { ...fixed, capAmount: 12_000 }, daysAfterDue(5)).fee).toEqual(gbp(12_000));
    // 2% of £5,000 principal = 10000; 4000 already charged → 6000
    const share = feeFor(facts(500_000, 'gbp', { feesAlreadyCharged: gbp(4_000) }), { ...uk, capShareOfPrincipal: 0.02 }, daysAfterDue(35));
    expect(share.fee).toEqual(gbp(6_000));
  });

  it('raises a small fee to the minimum fee', () => {
    const monthly = settingsFor({ preset: 'monthly-1.5-percent', graceDays: 0, minimumFee: 2_500 });
    // 100000 × 1.5% = 1500 → raised by 1000 to 2500
    const decision = feeFor(facts(100_000, 'eur'), monthly, daysAfterDue(3));
    expect(amounts(decision)).toEqual([
      ['1.50% of €1,000.00 outstanding', 1_500],
      ['Raised to the minimum fee of €25.00', 1_000],
    ]);
    expect(decision.description).toBe('Late payment fee for invoice INV-0042 (3 days past due): 1.50% of the amount outstanding (minimum fee applies)');
    // a zero fee is not raised: the minimum applies to fees that exist
    const zero = settingsFor({ preset: 'custom', method: 'percent', percent: 0, graceDays: 0, minimumFee: 2_500 });
    expect(computeLateFee(facts(100_000, 'eur'), zero, daysAfterDue(3))).toBeNull();
  });

  it('keeps the minimum under the cap, and charges nothing when both cannot hold', () => {
    const monthly = settingsFor({ preset: 'monthly-1.5-percent', recurrence: 'monthly', graceDays: 0, minimumFee: 2_000, capAmount: 5_000 });
    // 1500 → 2000 minimum; headroom 5000 − 2000 = 3000 → 2000 stands
    const second = feeFor(facts(100_000, 'eur', { periodsAlreadyCharged: 1, feesAlreadyCharged: money(2_000, 'eur') }), monthly, daysAfterDue(31));
    expect(second.fee.amount).toBe(2_000);
    // 4000 charged: headroom 1000 is below the 2000 minimum → null
    expect(computeLateFee(facts(100_000, 'eur', { periodsAlreadyCharged: 2, feesAlreadyCharged: money(4_000, 'eur') }), monthly, daysAfterDue(61))).toBeNull();
  });
});

describe('computeLateFee — when no fee is due', () => {
  const fixed = settingsFor({ preset: 'custom', method: 'fixed', fixedAmount: 1_000, graceDays: 7 });

  it('charges nothing up to and including graceDays, and from graceDays + 1', () => {
    // 7 days 23:59 past due floors to 7 days → still in grace
    expect(computeLateFee(facts(50_000, 'gbp'), fixed, daysAfterDue(7, DAY_MS - 60_000))).toBeNull();
    const decision = feeFor(facts(50_000, 'gbp'), fixed, daysAfterDue(8));
    expect(decision.daysPastDue).toBe(8);
    // with no grace, the first whole day past due is enough
    const noGrace = { ...fixed, graceDays: 0 };
    expect(computeLateFee(facts(50_000, 'gbp'), noGrace, daysAfterDue(0, DAY_MS - 1))).toBeNull();
    expect(feeFor(facts(50_000, 'gbp'), noGrace, daysAfterDue(1)).daysPastDue).toBe(1);
    // not yet due at all
    expect(computeLateFee(facts(50_000, 'gbp'), noGrace, daysAfterDue(-3))).toBeNull();
  });

  it('charges nothing when nothing is owed', () => {
    expect(computeLateFee(facts(0, 'gbp'), fixed, daysAfterDue(30))).toBeNull();
    expect(computeLateFee(facts(-500, 'gbp'), fixed, daysAfterDue(30))).toBeNull();
  });

  it('names the invoice by id when it has no number', () => {
    expect(feeFor(facts(50_000, 'gbp', { number: null }), fixed, daysAfterDue(9)).description).toBe(
      'Late payment fee for invoice in_42 (9 days past due): £10.00 fixed late fee',
    );
  });

  it('refuses facts in mixed currencies', () => {
    expect(() => computeLateFee(facts(50_000, 'gbp', { feesAlreadyCharged: money(0, 'eur') }), fixed, daysAfterDue(9))).toThrow(/mix currencies/);
  });
});
