import { loadConfig } from '../../config';
import { assessClient } from './assess-client';
import type { InvoiceFact } from './client-history';
import { DAY_MS } from '../../common/time';
import { historiesOf } from './testing/ledger-facts';

/**
 * Severity in the score, and the property the ranking rests on: a client later, more often
 * and more recently than another never scores lower.
 */
const cfg = loadConfig({}).policy.detection;
const NOW = new Date('2026-11-25T12:00:00Z');
const day = (offset: number) => new Date(NOW.getTime() + offset * DAY_MS);

function paid(i: number, dueOffset: number, late: number | null, total = 100_000): InvoiceFact {
  const dueAt = day(dueOffset);
  return {
    id: `in_${i}`,
    number: `N-${i}`,
    status: late === null ? 'open' : 'paid',
    currency: 'eur',
    subtotal: total,
    total,
    totalDiscount: 0,
    amountRemaining: late === null ? total : 0,
    attemptCount: 0,
    createdAt: day(dueOffset - 30),
    dueAt,
    paidAt: late === null ? null : new Date(dueAt.getTime() + late * DAY_MS + 3_600_000),
    voidedAt: null,
  };
}

const history = historiesOf('cus_s');
/** Invoices `spacing` days apart, the last due 20 days ago, paid `lateness[i]` days after due. */
const series = (lateness: number[], spacing = 30) => lateness.map((late, i) => paid(i + 1, -20 - spacing * (lateness.length - 1 - i), late));
const assess = (lateness: number[], spacing = 30) => assessClient(history(series(lateness, spacing)), NOW, cfg);

/** Mulberry32, so the property runs are the same every time. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('severity in the score', () => {
  // The three clients of the issue: mild and recent, chronic by weeks, always late by a week and a half.
  const mild = assess([0, 0, 5, 1, 0, 6, 0, 0, 4, 0], 36);
  const weeks = assess([17, 16, 20, 0, 18, 17, 15, 19, 17, 22, 14, 17, 25, 17], 26);
  const always = assess([11, 12, 10, 11, 13, 9, 11, 12, 10], 40);

  it('ranks the worst payers first: 17 days on median over 13 of 14, then 11 days on 9 of 9, then a few days on 3 of 10', () => {
    expect(weeks.score).toBeGreaterThan(always.score);
    expect(always.score).toBeGreaterThan(mild.score + 25);
    expect(weeks.flags).toContain('chronic_late_payer');
    expect(always.flags).toContain('chronic_late_payer');
    expect(mild.flags).toEqual([]);
    expect(mild.level).toBe('ok');
    expect(['risky', 'critical']).toContain(weeks.level);
    expect(['risky', 'critical']).toContain(always.level);
  });

  it('names each factor and makes the points add up to the score', () => {
    for (const result of [mild, weeks, always]) {
      expect(result.factors.reduce((sum, factor) => sum + factor.points, 0)).toBe(result.score);
      for (const factor of result.factors) expect(factor.detail).toMatch(/\w+ \w+/);
    }
    expect(weeks.factors.map((factor) => factor.factor)).toEqual(expect.arrayContaining(['how_late', 'how_often', 'how_recent']));
  });

  it('lifts a client with any one flag to at least watch', () => {
    const punctual = series([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const disputed = assessClient(
      history(punctual, { disputes: [{ id: 'dp_1', currency: 'eur', amount: 5_000, status: 'won', createdAt: day(-200) }] }),
      NOW,
      cfg,
    );
    expect(disputed.flags).toEqual(['disputes']);
    expect(disputed.level).toBe('watch');
    const slipping = assess([0, 0, 0, 0, 0, 0, 0, 0, 5, 4, 0, 5]);
    expect(slipping.flags).toEqual(['slipping']);
    expect(slipping.level).not.toBe('ok');
    const owes = assessClient(history([...series([0, 0, 0, 0, 0]), paid(99, -31, null, 10_000)]), NOW, cfg);
    expect(owes.flags).toEqual(['arrears']);
    expect(owes.level).toBe('watch');
  });

  it('never scores a client lower for being later on any invoice (1,000 random pairs)', () => {
    const random = prng(7);
    const violations: string[] = [];
    let strictlyHigher = 0;
    for (let run = 0; run < 1_000; run += 1) {
      const count = 3 + Math.floor(random() * 20);
      const base = Array.from({ length: count }, () => (random() < 0.6 ? Math.floor(random() * 4) - 2 : Math.floor(random() * 40)));
      const worse = base.map((late) => (random() < 0.3 ? late + Math.floor(random() * 30) : late));
      const spacing = 12 + Math.floor(random() * 30);
      const a = assess(base, spacing);
      const b = assess(worse, spacing);
      if (b.score < a.score) violations.push(JSON.stringify({ base, worse, spacing, a: a.score, b: b.score }));
      if (b.score > a.score) strictlyHigher += 1;
    }
    expect(violations).toEqual([]);
    // The pairs differ enough for the property to bite: most later clients score strictly higher.
    expect(strictlyHigher).toBeGreaterThan(500);
  });

  it('never scores a client lower for having its late invoices more recently (1,000 random arrangements)', () => {
    const random = prng(11);
    const violations: string[] = [];
    for (let run = 0; run < 1_000; run += 1) {
      const count = 3 + Math.floor(random() * 20);
      const lateness = Array.from({ length: count }, () => (random() < 0.6 ? Math.floor(random() * 4) - 2 : Math.floor(random() * 40)));
      const shuffled = [...lateness].sort(() => random() - 0.5);
      const latestLast = [...lateness].sort((x, y) => x - y);
      const a = assess(shuffled);
      const b = assess(latestLast);
      if (b.score < a.score) violations.push(JSON.stringify({ shuffled, latestLast, a: a.score, b: b.score }));
    }
    expect(violations).toEqual([]);
  });
});

describe("the README's level examples and worked example", () => {
  const points = (result: ReturnType<typeof assess>) => Object.fromEntries(result.factors.map((factor) => [factor.factor, factor.points]));
  const weeks = [17, 16, 20, 0, 18, 17, 15, 19, 17, 22, 14, 17, 25, 17];

  it('ok: 3 of the last 10 invoices 4–6 days late, median 0, scores 20', () => {
    const result = assess([0, 0, 5, 1, 0, 6, 0, 0, 4, 0], 36);
    expect([result.score, result.level, result.flags]).toEqual([20, 'ok', []]);
  });

  it('watch: punctual with one payment dispute 200 days ago scores 26, lifted by the flag', () => {
    const result = assessClient(
      history(series([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), { disputes: [{ id: 'dp_1', currency: 'eur', amount: 5_000, status: 'won', createdAt: day(-200) }] }),
      NOW,
      cfg,
    );
    expect([result.score, result.level]).toEqual([26, 'watch']);
    expect(points(result)).toEqual({ disputes: 4, flagged: 22 });
  });

  it('risky: late on 9 of 9 by 11 days on median scores 58 as the worked example adds it up', () => {
    const result = assess([11, 12, 10, 11, 13, 9, 11, 12, 10], 40);
    expect([result.score, result.level, result.flags]).toEqual([58, 'risky', ['chronic_late_payer']]);
    expect(points(result)).toEqual({ how_late: 22, how_often: 30, how_recent: 6 });
    expect(result.metrics.severity.daysLate).toBe(10.8);
    expect(result.metrics.severity.worstRecentDaysLate).toBe(12);
    expect(result.factors.find((factor) => factor.factor === 'how_late')?.detail).toBe(
      '10.8 days late per invoice weighted by amount and recency, median 11; at worst 12 days late among the latest 3',
    );
    expect(result.metrics.severity.daysSinceLastLate).toBe(9);
    expect(result.reasons.chronic_late_payer).toBe('paid 9 of 9 invoices due between 20 Dec 2025 and 5 Nov more than 3 days late, 11 days late on median');
  });

  it('risky, then critical: 17 days on median over 13 of 14 scores 64, and 89 with an invoice 100 days overdue', () => {
    expect([assess(weeks, 26).score, assess(weeks, 26).level]).toEqual([64, 'risky']);
    const owing = assessClient(history([...series(weeks, 26), paid(99, -100, null)]), NOW, cfg);
    expect([owing.score, owing.level, owing.flags]).toEqual([89, 'critical', ['chronic_late_payer', 'arrears']]);
    expect(points(owing).money_at_stake).toBe(25);
    // The invoice still open is late too, and not called paid.
    expect(owing.reasons.chronic_late_payer).toMatch(
      /^paid \d+ of \d+ invoices due between .+ more than 3 days late and left 1 more unpaid longer than that, \d+ days late on median$/,
    );
    const paidLate = Number(/^paid (\d+)/.exec(owing.reasons.chronic_late_payer ?? '')?.[1]);
    expect(owing.evidence.chronic_late_payer?.filter((e) => e.kind === 'invoice')).toHaveLength(paidLate + 1);
  });
});

describe('patterns anywhere in the lookback', () => {
  const punctual = series([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const request = (id: string, daysAgo: number) => ({ id, currency: 'eur', amount: 10_000, requestedAt: day(-daysAgo), note: 'asked on the phone' });

  it('finds three discount requests in four months even when the last was two months ago, and says when', () => {
    const result = assessClient(history(punctual, { discountRequests: [request('dr_1', 183), request('dr_2', 122), request('dr_3', 61)] }), NOW, cfg);
    expect(result.flags).toEqual(['repeated_discount_demands']);
    expect(result.reasons.repeated_discount_demands).toBe(
      '3 discount requests between 26 May and 25 Sep (3 requests logged by hand); €300.00 in discounts over the last 365 days, 3% of billing',
    );
    // The factor says it in the reason's words, over the lookback it counts.
    expect(result.factors.find((factor) => factor.factor === 'discounts')?.detail).toBe('3 discount requests in the last 365 days, 3% of billing');
    expect(result.level).toBe('watch');
  });

  it('counts an old run of requests for less now than a fresh one', () => {
    const old = assessClient(history(punctual, { discountRequests: [request('dr_1', 330), request('dr_2', 300), request('dr_3', 280)] }), NOW, cfg);
    const fresh = assessClient(history(punctual, { discountRequests: [request('dr_1', 50), request('dr_2', 30), request('dr_3', 10)] }), NOW, cfg);
    expect(old.flags).toEqual(['repeated_discount_demands']);
    expect(fresh.score).toBeGreaterThan(old.score);
  });

  it('never counts requests further apart than the window', () => {
    const result = assessClient(history(punctual, { discountRequests: [request('dr_1', 340), request('dr_2', 150), request('dr_3', 5)] }), NOW, cfg);
    expect(result.flags).toEqual([]);
  });

  it('calls a client chronic by the accountant reading: 6 due invoices or more, half of them over 3 days late', () => {
    expect(assess([0, 5, 0, 6, 0, 7]).flags).toEqual(['chronic_late_payer']);
    expect(assess([0, 5, 0, 6, 0, 0]).flags).toEqual([]);
    expect(assess([12, 0, 14, 0, 15, 20, 11]).flags).toEqual(['chronic_late_payer']);
  });
});
