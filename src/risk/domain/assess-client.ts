import type { ClientHistory, Evidence, RiskFlag, RiskLevel } from './client-history';
import { ClientMetrics, computeMetrics } from './client-metrics';
import type { DetectionConfig } from './detection-config';
import { PaymentPrediction, PredictionOptions, predictPayments } from './payment-prediction';
import { evaluateFlags } from './risk-flags';
import { levelFor, ScoreFactor, scoreClient } from './risk-score';

export interface Assessment {
  clientId: string;
  assessedAt: Date;
  score: number;
  level: RiskLevel;
  flags: RiskFlag[];
  metrics: ClientMetrics;
  evidence: Partial<Record<RiskFlag, Evidence[]>>;
  reasons: Partial<Record<RiskFlag, string>>;
  factors: ScoreFactor[];
  predictions: PaymentPrediction[];
}

/** The whole judgement on one client at `now`: metrics, flags with evidence, score, level, predictions. Pure. */
export function assessClient(history: ClientHistory, now: Date, cfg: DetectionConfig, options: PredictionOptions = {}): Assessment {
  const workings = computeMetrics(history, now, cfg);
  const findings = evaluateFlags(history, workings, now, cfg);
  const flags = findings.map((finding) => finding.flag);
  const { score, factors } = scoreClient(flags, workings.metrics, workings.due, cfg);
  return {
    clientId: history.clientId,
    assessedAt: now,
    score,
    level: levelFor(score, cfg.levels, flags.length > 0),
    flags,
    metrics: workings.metrics,
    evidence: Object.fromEntries(findings.map((finding) => [finding.flag, finding.evidence])),
    reasons: Object.fromEntries(findings.map((finding) => [finding.flag, finding.reason])),
    factors,
    predictions: predictPayments(history, now, options),
  };
}
