import type { DataSource } from 'typeorm';
import type { Assessment } from '../domain/assess-client';

/**
 * Appends one batch of assessments in a single statement: the batch travels as one JSON
 * document, parsed once into jsonb, and each element's documents are taken with `->`, which
 * hands over the parsed value. (jsonb_to_recordset, used before, prints every jsonb column
 * back to text and parses it again: a quarter more PostgreSQL CPU for the same rows.) Flags
 * travel as an array literal: they are words of the flag vocabulary (a CHECK guarantees it),
 * never needing quotes. The client's Stripe account comes from the ledger, never from the
 * caller.
 */
export async function insertAssessments(dataSource: DataSource, runId: string, assessedAt: Date, assessments: Assessment[]): Promise<void> {
  if (assessments.length === 0) return;
  const rows = assessments.map((a) => ({
    client_id: a.clientId,
    score: a.score,
    level: a.level,
    flags: `{${a.flags.join(',')}}`,
    metrics: a.metrics,
    evidence: a.evidence,
    reasons: a.reasons,
    factors: a.factors,
    predictions: a.predictions,
  }));
  await dataSource.query(
    `INSERT INTO risk_assessments (run_id, client_id, stripe_account_id, assessed_at, score, level, flags, metrics, evidence, reasons, factors, predictions)
     SELECT $1::uuid, c.id, c.stripe_account_id, $2::timestamptz, (r->>'score')::int, r->>'level', (r->>'flags')::text[],
            r->'metrics', r->'evidence', r->'reasons', r->'factors', r->'predictions'
       FROM jsonb_array_elements($3::jsonb) AS r
       JOIN clients c ON c.id = r->>'client_id'`,
    [runId, assessedAt.toISOString(), JSON.stringify(rows)],
  );
}
