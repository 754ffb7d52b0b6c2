import type { RiskFlag, RiskLevel } from './client-history';
import type { ClientMetrics, DueEntry } from './client-metrics';
import type { DetectionConfig } from './detection-config';
import { plural } from './plain-words';

export type ScoreFactorName = 'how_late' | 'how_often' | 'how_recent' | 'trend' | 'money_at_stake' | 'discounts' | 'disputes' | 'failed_payments' | 'flagged';

export interface ScoreFactor {
  factor: ScoreFactorName;
  points: number;
  /** What the points rest on, in plain words. */
  detail: string;
}

/** Points for days late: half of `max` at `HALF_DAYS`, approaching `max` for weeks late. */
const HALF_DAYS = 8;
const daysCurve = (days: number) => Math.max(0, days) / (Math.max(0, days) + HALF_DAYS);
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

const secondLargest = (values: number[]): number => {
  let first = 0;
  let second = 0;
  for (const value of values) {
    if (value > first) [first, second] = [value, first];
    else if (value > second) second = value;
  }
  return second;
};

/** Lateness severity of a set of due invoices: how often (share) and how late (days), each 0..weight. */
function latenessParts(share: number, days: number): { often: number; late: number } {
  return { often: 30 * share, late: 35 * daysCurve(days) };
}

/**
 * Hands out the rounded total over the factors by largest remainder, so the points the
 * owner sees add up to the score exactly and the score is the rounded sum of the raw parts.
 */
function apportion(raw: Array<{ factor: ScoreFactorName; value: number; detail: string }>, total: number): ScoreFactor[] {
  const floors = raw.map((part) => Math.floor(part.value));
  let left = total - floors.reduce((sum, points) => sum + points, 0);
  const order = raw.map((part, i) => ({ i, rest: part.value - floors[i] })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] += 1;
    left -= 1;
  }
  return raw.map((part, i) => ({ factor: part.factor, points: floors[i], detail: part.detail })).filter((factor) => factor.points > 0);
}

/**
 * A 0–100 score graded by severity, as named factors; flags explain, factors grade.
 *
 * - how_late (≤ 40): days late per invoice weighted by amount and recency, or the median if
 *   higher (35 × d / (d + 8)), plus up to 5 for the worst of the latest invoices (30+ days).
 * - how_often (≤ 30): the recency-weighted share of due invoices paid late.
 * - how_recent (≤ 6): halves every `recencyHalfLifeDays` since the client was last late.
 * - trend (≤ 33): half of what the latest invoices would score on how_late + how_often
 *   above the whole lookback — so a client getting worse is judged nearer its present.
 * - money_at_stake (≤ 30): overdue money, by the age of the oldest (full at 120 days) and the
 *   amount in usual invoices (full from one invoice's worth).
 * - discounts (≤ 25), disputes (≤ 25), failed_payments (≤ 5): recency-weighted counts.
 * - flagged: any flag lifts the score to the `watch` threshold plus 40 % of the other factors
 *   (so flagged clients still rank among themselves), until those alone score higher.
 * Lateness parts count in full from `chronicLate.minInvoices` due invoices; fewer are thin evidence.
 *
 * Every part grows with each invoice's days late, with the share late and with recency,
 * so a client later, more often and more recently than another never scores lower (the
 * property the specs test; trend is max(whole, recent) in disguise, hence monotone too).
 */
export function scoreClient(flags: RiskFlag[], metrics: ClientMetrics, due: DueEntry[], cfg: DetectionConfig): { score: number; factors: ScoreFactor[] } {
  const severity = metrics.severity;
  // Few invoices are thin evidence: lateness counts in full from `minInvoices` due invoices on.
  const confidence = Math.min(1, (due.length + 1) / (cfg.chronicLate.minInvoices + 1));
  const days = Math.max(severity.daysLate, metrics.medianDaysLate);
  const whole = latenessParts(severity.lateShare, days);
  const recent = due.slice(-cfg.slipping.recentInvoices);
  const recentShare = recent.length === 0 ? 0 : recent.filter((entry) => entry.daysLate > cfg.graceDays).length / recent.length;
  // One unlucky invoice is no trend: each recent invoice counts at most as late as the client's second-latest payment.
  const cap = secondLargest(due.map((entry) => entry.daysLate));
  const recentDays = recent.length === 0 ? 0 : recent.reduce((sum, entry) => sum + Math.min(entry.daysLate, cap), 0) / recent.length;
  const now = latenessParts(recentShare, recentDays);
  const trend = confidence * 0.5 * Math.max(0, now.often + now.late - (whole.often + whole.late));
  whole.often *= confidence;
  whole.late *= confidence;
  const worst = confidence * 5 * clamp01(severity.worstRecentDaysLate / 30);
  const recency = severity.daysSinceLastLate === null ? 0 : confidence * 6 * Math.pow(0.5, severity.daysSinceLastLate / cfg.recencyHalfLifeDays);
  const stake = 30 * clamp01(metrics.oldestArrearsDays / 120) * clamp01(0.5 + 0.5 * severity.arrearsInInvoices);
  const discounts = Math.min(25, 6 * metrics.discounts.weightedCount + 50 * metrics.discounts.shareOfBilling);
  const disputes = Math.min(25, 12 * metrics.disputes.weightedCount + 6 * metrics.disputes.lost);
  const failed = Math.min(5, metrics.failedPaymentAttempts);

  const raw: Array<{ factor: ScoreFactorName; value: number; detail: string }> = [
    {
      factor: 'how_late',
      value: whole.late + worst,
      detail:
        `${severity.daysLate} days late per invoice weighted by amount and recency, median ` +
        `${metrics.medianDaysLate}; at worst ${severity.worstRecentDaysLate} days late among the latest ${cfg.slipping.recentInvoices}`,
    },
    {
      factor: 'how_often',
      value: whole.often,
      detail: `${Math.round(severity.lateShare * 100)}% of invoices late, recent ones weighing more (${metrics.lateCount} of ${metrics.invoicesDue} in all)`,
    },
    { factor: 'how_recent', value: recency, detail: severity.daysSinceLastLate === 0 ? 'late right now' : `last late ${severity.daysSinceLastLate} days ago` },
    {
      factor: 'trend',
      value: trend,
      detail: `the latest ${recent.length} invoices: ${Math.round(recentShare * 100)}% late, ${Math.round(recentDays)} days on average`,
    },
    { factor: 'money_at_stake', value: stake, detail: `${severity.arrearsInInvoices} usual invoices overdue, the oldest ${metrics.oldestArrearsDays} days` },
    {
      factor: 'discounts',
      value: discounts,
      // The reason's noun, and its window said: the reason counts the densest run, this the whole lookback.
      detail:
        `${plural(metrics.discounts.count, 'discount request')} in the last ${cfg.lookbackDays} days, ` +
        `${Math.round(metrics.discounts.shareOfBilling * 100)}% of billing`,
    },
    { factor: 'disputes', value: disputes, detail: `${metrics.disputes.count} disputes, ${metrics.disputes.lost} lost` },
    { factor: 'failed_payments', value: failed, detail: `${metrics.failedPaymentAttempts} failed payment attempts` },
  ];
  let sum = raw.reduce((total, part) => total + part.value, 0);
  // A flag lifts the client to watch, and keeps grading above it: watch + 40 % of the factors, until the factors alone say more.
  // Slipping needs a punctual past, which being later before would undo: what lifts is its
  // monotone half, the latest invoices being late, so being later never lowers the score.
  const lifts = flags.some((flag) => flag !== 'slipping') || (recent.length === cfg.slipping.recentInvoices && recentShare >= cfg.slipping.recentLateShare);
  const lifted = cfg.levels.watch + 0.4 * sum;
  if (lifts && lifted > sum) {
    raw.push({ factor: 'flagged', value: lifted - sum, detail: `flagged ${flags.map((flag) => flag.replace(/_/g, ' ')).join(', ')}: at least watch` });
    sum = lifted;
  }
  const score = Math.min(100, Math.round(sum));
  const scale = sum > 0 ? score / sum : 0;
  return {
    score,
    factors: apportion(
      raw.map((part) => ({ ...part, value: part.value * scale })),
      score,
    ),
  };
}

/** The level of a score; any flag means at least `watch`. */
export function levelFor(score: number, levels: DetectionConfig['levels'], flagged = false): RiskLevel {
  if (score >= levels.critical) return 'critical';
  if (score >= levels.risky) return 'risky';
  if (score >= levels.watch || flagged) return 'watch';
  return 'ok';
}
