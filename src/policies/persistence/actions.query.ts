import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { DomainError } from '../../common/errors';
import { column, selectRows } from '../../database/select-rows';
import { ACTION_STATUSES, ACTORS, ActionStatus, Actor, PlannedAction, sourcesOf } from '../domain/action';
import { actionRow, ActionRecord, toActionRecord } from './action-row';

export interface TransitionPatch {
  stripeIds?: Record<string, string>;
  error?: string | null;
  note?: string;
}

export interface ActionFilter {
  status?: ActionStatus;
  kind?: string;
  clientId?: string;
  limit?: number;
}

export interface AuditEntry {
  fromStatus: ActionStatus | null;
  toStatus: ActionStatus;
  actor: Actor;
  at: Date;
  stripeIds: Record<string, string>;
  note: string | null;
}

// Actions and their audit trail. Every function takes the caller's EntityManager, so a write joins the caller's transaction.

/** Inserts a planned action as `proposed`; returns null when its dedupe key already exists (a re-run). */
export async function propose(
  manager: EntityManager,
  planned: PlannedAction,
  accountId: string,
  now: Date,
  expiresAt: Date | null,
): Promise<ActionRecord | null> {
  const [row] = await selectRows(
    manager,
    `INSERT INTO actions (kind, client_id, stripe_account_id, status, mode, invoice_id, amount, currency,
     dedupe_key, reason, params, proposed_at, expires_at, created_at, updated_at)
     VALUES ($1, $2, $3, 'proposed', $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $11)
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING *`,
    [
      planned.kind,
      planned.clientId,
      accountId,
      planned.mode,
      planned.invoiceId,
      planned.amount?.amount ?? null,
      planned.amount?.currency ?? null,
      planned.dedupeKey,
      planned.reason,
      JSON.stringify(planned.params),
      now,
      expiresAt,
    ],
    actionRow,
  );
  if (!row) return null;
  await audit(manager, row.id, null, 'proposed', 'system', now, {}, planned.reason);
  return toActionRecord(row);
}

/**
 * Moves an action to `to` if it is in a status allowed to move there. The conditional
 * UPDATE is the guard: of two racing approvals only one finds the row still proposed.
 */
export async function transition(
  manager: EntityManager,
  id: string,
  to: ActionStatus,
  actor: Actor,
  now: Date,
  patch: TransitionPatch = {},
): Promise<ActionRecord> {
  const current = await get(manager, id);
  const from = sourcesOf(to);
  const [updated] = await selectRows(
    manager,
    `UPDATE actions SET status = $2, updated_at = $3,
            stripe_ids = stripe_ids || $4::jsonb,
            error = CASE WHEN $5::boolean THEN $6 ELSE error END,
            decided_at = CASE WHEN $2 IN ('approved', 'rejected') THEN $3 ELSE decided_at END,
            applied_at = CASE WHEN $2 = 'applied' THEN $3 ELSE applied_at END
     WHERE id = $1 AND status = ANY($7) RETURNING *`,
    [id, to, now, JSON.stringify(patch.stripeIds ?? {}), patch.error !== undefined, patch.error ?? null, from],
    actionRow,
  );
  if (!updated) {
    throw new DomainError('conflict', `Action ${id} is ${current.status}; it cannot become ${to} (only from ${from.join(' or ')})`);
  }
  await audit(manager, id, current.status, to, actor, now, patch.stripeIds ?? {}, patch.note ?? patch.error ?? null);
  return toActionRecord(updated);
}

/** Records Stripe ids (and an error, when given) without changing status: a transient failure, or a fee's carrying invoice. */
export async function note(manager: EntityManager, id: string, now: Date, patch: TransitionPatch): Promise<void> {
  await manager.query(
    `UPDATE actions SET stripe_ids = stripe_ids || $2::jsonb, error = CASE WHEN $3::boolean THEN $4 ELSE error END, updated_at = $5 WHERE id = $1`,
    [id, JSON.stringify(patch.stripeIds ?? {}), patch.error !== undefined, patch.error ?? null, now],
  );
}

/** The action with this id; a `not_found` DomainError when there is none (an id that is not a UUID cannot name one). */
export async function get(manager: EntityManager, id: string): Promise<ActionRecord> {
  const rows = /^[0-9a-f-]{36}$/i.test(id) ? await selectRows(manager, `SELECT * FROM actions WHERE id = $1`, [id], actionRow) : [];
  if (rows.length === 0) throw new DomainError('not_found', `No action with id ${id}; list them with "payrisk actions list"`);
  return toActionRecord(rows[0]);
}

export async function list(manager: EntityManager, filter: ActionFilter = {}): Promise<ActionRecord[]> {
  const rows = await selectRows(
    manager,
    `SELECT * FROM actions
     WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR client_id = $3)
     ORDER BY proposed_at DESC, id LIMIT $4`,
    [filter.status ?? null, filter.kind ?? null, filter.clientId ?? null, filter.limit ?? 500],
    actionRow,
  );
  return rows.map(toActionRecord);
}

/** Approved actions waiting for Stripe (new, or left by a crash or a transient failure). */
export async function approved(manager: EntityManager): Promise<ActionRecord[]> {
  const rows = await selectRows(manager, `SELECT * FROM actions WHERE status = 'approved' ORDER BY decided_at, id`, [], actionRow);
  return rows.map(toActionRecord);
}

/** Proposed actions whose approval window closed before `now`. */
export async function overdueProposals(manager: EntityManager, now: Date): Promise<string[]> {
  const rows = await selectRows(manager, `SELECT id FROM actions WHERE status = 'proposed' AND expires_at < $1`, [now], z.object({ id: column.text }));
  return rows.map((row) => row.id);
}

/** Applied late fees added as invoice items whose carrying invoice is not recorded yet. */
export async function feesAwaitingTheirInvoice(manager: EntityManager): Promise<{ id: string; item: string }[]> {
  return selectRows(
    manager,
    `SELECT id, stripe_ids->>'invoiceItem' AS item FROM actions
     WHERE kind = 'late_fee' AND status = 'applied' AND stripe_ids ? 'invoiceItem' AND NOT stripe_ids ? 'invoice'`,
    [],
    z.object({ id: column.text, item: column.text }),
  );
}

/** A row of `action_audit` as node-postgres returns it. */
export const auditRow = z.object({
  from_status: z.enum(ACTION_STATUSES).nullable(),
  to_status: z.enum(ACTION_STATUSES),
  actor: z.enum(ACTORS),
  at: column.timestamp,
  stripe_ids: z.record(z.string(), z.string()),
  note: column.text.nullable(),
});

export async function auditOf(manager: EntityManager, id: string): Promise<AuditEntry[]> {
  const rows = await selectRows(
    manager,
    `SELECT from_status, to_status, actor, at, stripe_ids, note FROM action_audit WHERE action_id = $1 ORDER BY id`,
    [id],
    auditRow,
  );
  return rows.map((r) => ({ fromStatus: r.from_status, toStatus: r.to_status, actor: r.actor, at: r.at, stripeIds: r.stripe_ids, note: r.note }));
}

async function audit(
  manager: EntityManager,
  actionId: string,
  from: ActionStatus | null,
  to: ActionStatus,
  actor: Actor,
  at: Date,
  stripeIds: Record<string, string>,
  note: string | null,
): Promise<void> {
  await manager.query(`INSERT INTO action_audit (action_id, from_status, to_status, actor, at, stripe_ids, note) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    actionId,
    from,
    to,
    actor,
    at,
    JSON.stringify(stripeIds),
    note,
  ]);
}
