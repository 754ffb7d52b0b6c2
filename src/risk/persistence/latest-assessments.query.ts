import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { RISK_FLAGS, RISK_LEVELS } from '../../common/vocabulary';
import { column, selectRows } from '../../database/select-rows';
import type { Assessment } from '../domain/assess-client';

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

const historyRow = z.object({ assessed_at: column.timestamp, score: column.int, level: z.enum(RISK_LEVELS), flags: z.array(z.enum(RISK_FLAGS)) });

const latestRow = historyRow.extend({
  client_id: column.text,
  name: column.text.nullable(),
  email: column.text.nullable(),
  metrics: column.json,
  evidence: column.json,
  reasons: z.record(z.string(), z.string()),
  factors: z.unknown(),
  predictions: z.unknown(),
});

/** The latest assessment of every client (or of one), highest score first. */
export async function latestAssessments(
  manager: EntityManager,
  filter: { clientId?: string; level?: string; flag?: string } = {},
): Promise<LatestAssessment[]> {
  const rows = await selectRows(
    manager,
    `SELECT * FROM (
       SELECT DISTINCT ON (a.client_id) a.client_id, c.name, c.email, a.level, a.score, a.flags, a.metrics, a.evidence, a.reasons,
              a.factors, a.predictions, a.assessed_at
         FROM risk_assessments a JOIN clients c ON c.id = a.client_id
        WHERE ($1::text IS NULL OR a.client_id = $1)
        ORDER BY a.client_id, a.assessed_at DESC, a.id) latest
      WHERE ($2::text IS NULL OR level = $2) AND ($3::text IS NULL OR $3 = ANY(flags))
      ORDER BY score DESC, client_id`,
    [filter.clientId ?? null, filter.level ?? null, filter.flag ?? null],
    latestRow,
  );
  return rows.map((row) => ({
    customerId: row.client_id,
    name: row.name,
    email: row.email,
    level: row.level,
    score: row.score,
    flags: row.flags,
    // The JSON documents are the domain's Assessment as insertAssessments wrote it; their outer shape is checked above.
    metrics: row.metrics as unknown as Assessment['metrics'],
    evidence: row.evidence as Assessment['evidence'],
    reasons: row.reasons as Assessment['reasons'],
    factors: row.factors as Assessment['factors'],
    predictions: row.predictions as Assessment['predictions'],
    assessedAt: row.assessed_at,
  }));
}

/** A client's assessments, newest first (the last 100). */
export async function assessmentHistory(
  manager: EntityManager,
  clientId: string,
): Promise<Array<{ assessedAt: Date; score: number; level: string; flags: string[] }>> {
  const rows = await selectRows(
    manager,
    `SELECT assessed_at, score, level, flags FROM risk_assessments WHERE client_id = $1 ORDER BY assessed_at DESC LIMIT 100`,
    [clientId],
    historyRow,
  );
  return rows.map((row) => ({ assessedAt: row.assessed_at, score: row.score, level: row.level, flags: row.flags }));
}
