import type { RiskFlag, RiskLevel } from './client-history';
import type { ClientMetrics } from './client-metrics';
import type { DetectionConfig } from './detection-config';

export interface ScoreFactor {
  factor: string;
  points: number;
}

/**
 * A 0–100 score as a sum of named factors, each kept so the owner sees why. A flag
 * brings its base weight; the metrics behind it add graded points.
 */
const FLAG_POINTS: Record<RiskFlag, number> = {
  chronic_late_payer: 30,
  repeated_discount_demands: 25,
  arrears: 20,
  disputes: 15,
  slipping: 15,
};

export function scoreClient(flags: RiskFlag[], metrics: ClientMetrics): { score: number; factors: ScoreFactor[] } {
  const factors: ScoreFactor[] = flags.map((flag) => ({ factor: flag, points: FLAG_POINTS[flag] }));
  const graded: ScoreFactor[] = [
    { factor: 'late_share', points: Math.round(metrics.lateShare * 15) },
    { factor: 'median_days_late', points: Math.min(10, Math.round(metrics.medianDaysLate / 3)) },
    { factor: 'arrears_age', points: Math.min(15, Math.round(metrics.oldestArrearsDays / 8)) },
    { factor: 'discount_share', points: Math.min(10, Math.round(metrics.discounts.shareOfBilling * 50)) },
    { factor: 'disputes_lost', points: Math.min(10, metrics.disputes.lost * 5) },
    { factor: 'failed_payments', points: Math.min(5, metrics.failedPaymentAttempts) },
  ].filter((factor) => factor.points > 0);
  factors.push(...graded);
  const score = Math.min(100, factors.reduce((sum, factor) => sum + factor.points, 0));
  return { score, factors };
}

export function levelFor(score: number, levels: DetectionConfig['levels']): RiskLevel {
  if (score >= levels.critical) return 'critical';
  if (score >= levels.risky) return 'risky';
  if (score >= levels.watch) return 'watch';
  return 'ok';
}
