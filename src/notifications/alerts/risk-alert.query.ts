import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectOne, selectRows } from '../../database/select-rows';
import type { AlertChange } from '../domain/alert-change';

const assessmentFacts = z.object({
  id: column.text,
  client_id: column.text,
  assessed_at: column.timestamp,
  level: column.text,
  flags: column.textArray,
  score: column.int,
  evidence: z.unknown(),
  reasons: z.unknown(),
});
/** What an alert says about one assessment. */
export type AssessmentFacts = z.output<typeof assessmentFacts>;
const assessmentRow = assessmentFacts.extend({ prev_level: column.text.nullable(), prev_flags: column.textArray.nullable() });
export type AlertAssessment = z.output<typeof assessmentRow>;

/**
 * Every assessment newer than its client's watermark, each with the one before it, in order.
 * The cursor is each client's watermark: only assessments written after it are read, each
 * with the one before it (an index lookup), never a window over the whole history.
 */
export async function assessmentsPastWatermark(manager: EntityManager): Promise<AlertAssessment[]> {
  return selectRows(
    manager,
    `WITH fresh AS (
       SELECT ra.id, ra.client_id, ra.assessed_at, ra.level, ra.flags, ra.score, ra.evidence, ra.reasons
       FROM risk_assessments ra LEFT JOIN alert_watermarks wm ON wm.client_id = ra.client_id
       WHERE wm.assessed_at IS NULL OR ra.assessed_at > wm.assessed_at)
     SELECT f.*, prev.level AS prev_level, prev.flags AS prev_flags
     FROM fresh f LEFT JOIN LATERAL (
       SELECT p.level, p.flags FROM risk_assessments p
       WHERE p.client_id = f.client_id AND (p.assessed_at, p.id) < (f.assessed_at, f.id)
       ORDER BY p.assessed_at DESC, p.id DESC LIMIT 1) prev ON true
     ORDER BY f.client_id, f.assessed_at, f.id`,
    [],
    assessmentRow,
  );
}

/** The client's alerts are settled up to this assessment. */
export async function advanceWatermark(manager: EntityManager, clientId: string, assessment: { id: string; assessed_at: Date }): Promise<void> {
  await manager.query(
    `INSERT INTO alert_watermarks (client_id, assessment_id, assessed_at, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (client_id) DO UPDATE SET assessment_id = EXCLUDED.assessment_id, assessed_at = EXCLUDED.assessed_at, updated_at = now()`,
    [clientId, assessment.id, assessment.assessed_at],
  );
}

/** The client's alert still waiting for its batch window (never tried, not yet due), locked for this transaction. */
export async function openAlertOf(manager: EntityManager, clientId: string, now: Date): Promise<{ id: string; change: AlertChange | undefined } | undefined> {
  const row = await selectOne(
    manager,
    `SELECT id, payload FROM outbox_messages
     WHERE kind = 'alert' AND client_id = $1 AND status = 'pending' AND attempts = 0 AND next_attempt_at > $2
     ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
    [clientId, now],
    // The payload is the alert's own data, written by RiskAlertProducer with its change.
    z.object({ id: column.text, payload: z.object({ change: z.custom<AlertChange>((value) => typeof value === 'object' && value !== null).optional() }) }),
  );
  return row && { id: row.id, change: row.payload.change };
}

/** For previews: the most recently flagged client's latest assessment (highest score first). */
export async function latestFlaggedAssessment(manager: EntityManager) {
  return selectOne(
    manager,
    `SELECT * FROM (SELECT DISTINCT ON (client_id) * FROM risk_assessments ORDER BY client_id, assessed_at DESC) l
     WHERE cardinality(flags) > 0 ORDER BY score DESC, assessed_at DESC LIMIT 1`,
    [],
    assessmentFacts,
  );
}

/** The client's proposed actions, oldest first: what an alert offers to approve. */
export async function proposedActionsOf(manager: EntityManager, clientId: string) {
  return selectRows(
    manager,
    `SELECT id, stripe_account_id, kind, amount, currency, params, reason FROM actions WHERE client_id = $1 AND status = 'proposed' ORDER BY proposed_at, id`,
    [clientId],
    z.object({
      id: column.text,
      stripe_account_id: column.text,
      kind: column.text,
      amount: column.bigint.nullable(),
      currency: column.text.nullable(),
      params: column.json.nullable(),
      reason: column.text,
    }),
  );
}

/** The client got better again before the batched alert left: it is the digest's news now. */
export async function dropAlert(manager: EntityManager, outboxId: string): Promise<void> {
  await manager.query(`DELETE FROM outbox_messages WHERE id = $1`, [outboxId]);
}

/** A later change folded into the alert still waiting: the same row, re-rendered. */
export async function rewriteAlert(
  manager: EntityManager,
  outboxId: string,
  rendered: { subject: string; text: string; html: string },
  payload: Record<string, unknown>,
): Promise<void> {
  await manager.query(`UPDATE outbox_messages SET subject = $2, text = $3, html = $4, payload = $5 WHERE id = $1`, [
    outboxId,
    rendered.subject,
    rendered.text,
    rendered.html,
    JSON.stringify(payload),
  ]);
}
