import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { DetectionConfig } from './domain/detection-config';
import { assessClient, Assessment } from './domain/assess-client';
import { loadClientHistories } from './persistence/client-history.loader';

export interface LatestAssessment {
  customerId: string;
  name: string | null;
  email: string | null;
  level: Assessment['level'];
  score: number;
  flags: Assessment['flags'];
  metrics: Assessment['metrics'];
  evidence: Assessment['evidence'];
  reasons: Assessment['reasons'];
  factors: Assessment['factors'];
  predictions: Assessment['predictions'];
  assessedAt: Date;
}

const DAY_MS = 86_400_000;

/**
 * Runs detection: loads histories set-based, judges each client with the pure domain,
 * and appends the assessments (history is kept). Incremental by default: only clients
 * whose ledger data changed since their last assessment, plus clients with open
 * invoices not assessed today (their lateness grows with time alone).
 */
export class RiskAssessmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cfg: DetectionConfig,
  ) {}

  async run(now: Date, options: { full?: boolean } = {}): Promise<{ runId: string; assessed: number }> {
    const clientIds = options.full ? undefined : await this.changedClients(now);
    if (clientIds && clientIds.length === 0) return { runId: randomUUID(), assessed: 0 };
    const lookbackStart = new Date(now.getTime() - (this.cfg.lookbackDays + 31) * DAY_MS);
    const histories = await loadClientHistories(this.dataSource, clientIds, lookbackStart);
    const runId = randomUUID();
    const rows = [...histories.values()].map((history) => {
      const assessment = assessClient(history, now, this.cfg);
      return {
        run_id: runId,
        client_id: assessment.clientId,
        assessed_at: now.toISOString(),
        score: assessment.score,
        level: assessment.level,
        flags: assessment.flags,
        metrics: assessment.metrics,
        evidence: assessment.evidence,
        reasons: assessment.reasons,
        factors: assessment.factors,
        predictions: assessment.predictions,
      };
    });
    for (let start = 0; start < rows.length; start += 1000) {
      await this.dataSource.query(
        `INSERT INTO risk_assessments (run_id, client_id, stripe_account_id, assessed_at, score, level, flags, metrics, evidence, reasons, factors, predictions)
         SELECT r.run_id, r.client_id, c.stripe_account_id, r.assessed_at, r.score, r.level, ARRAY(SELECT jsonb_array_elements_text(r.flags)),
                r.metrics, r.evidence, r.reasons, r.factors, r.predictions
           FROM jsonb_to_recordset($1::jsonb) AS r(run_id uuid, client_id text, assessed_at timestamptz, score int, level text, flags jsonb,
                metrics jsonb, evidence jsonb, reasons jsonb, factors jsonb, predictions jsonb)
           JOIN clients c ON c.id = r.client_id`,
        [JSON.stringify(rows.slice(start, start + 1000))],
      );
    }
    return { runId, assessed: rows.length };
  }

  /** The latest assessment of every client (or of one), highest score first. */
  async latest(filter: { clientId?: string; level?: string; flag?: string } = {}): Promise<LatestAssessment[]> {
    const rows = await this.dataSource.query(
      `SELECT * FROM (
         SELECT DISTINCT ON (a.client_id) a.client_id, c.name, c.email, a.level, a.score, a.flags, a.metrics, a.evidence, a.reasons,
                a.factors, a.predictions, a.assessed_at
           FROM risk_assessments a JOIN clients c ON c.id = a.client_id
          WHERE ($1::text IS NULL OR a.client_id = $1)
          ORDER BY a.client_id, a.assessed_at DESC, a.id) latest
        WHERE ($2::text IS NULL OR level = $2) AND ($3::text IS NULL OR $3 = ANY(flags))
        ORDER BY score DESC, client_id`,
      [filter.clientId ?? null, filter.level ?? null, filter.flag ?? null],
    );
    return rows.map((row: Record<string, unknown>) => ({
      customerId: row.client_id,
      name: row.name,
      email: row.email,
      level: row.level,
      score: row.score,
      flags: row.flags,
      metrics: row.metrics,
      evidence: row.evidence,
      reasons: row.reasons,
      factors: row.factors,
      predictions: row.predictions,
      assessedAt: row.assessed_at,
    })) as LatestAssessment[];
  }

  async history(clientId: string): Promise<Array<{ assessedAt: Date; score: number; level: string; flags: string[] }>> {
    const rows = await this.dataSource.query(
      `SELECT assessed_at, score, level, flags FROM risk_assessments WHERE client_id = $1 ORDER BY assessed_at DESC LIMIT 100`,
      [clientId],
    );
    return rows.map((row: Record<string, unknown>) => ({ assessedAt: row.assessed_at as Date, score: row.score as number, level: row.level as string, flags: row.flags as string[] }));
  }

  private async changedClients(now: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH last AS (SELECT client_id, max(assessed_at) AS at FROM risk_assessments GROUP BY client_id)
       SELECT c.id FROM clients c LEFT JOIN last ON last.client_id = c.id
        WHERE NOT c.deleted AND (
              last.at IS NULL
           OR c.synced_at > last.at
           OR EXISTS (SELECT 1 FROM invoices i WHERE i.client_id = c.id AND i.synced_at > last.at)
           OR EXISTS (SELECT 1 FROM credit_notes n WHERE n.client_id = c.id AND n.synced_at > last.at)
           OR EXISTS (SELECT 1 FROM disputes d WHERE d.client_id = c.id AND d.synced_at > last.at)
           OR EXISTS (SELECT 1 FROM discount_requests r WHERE r.client_id = c.id AND r.created_at > last.at)
           OR (last.at < date_trunc('day', $1::timestamptz) AND EXISTS (SELECT 1 FROM invoices i WHERE i.client_id = c.id AND i.status = 'open')))`,
      [now.toISOString()],
    );
    return rows.map((row) => row.id);
  }
}
