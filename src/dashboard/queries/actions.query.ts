import type { EntityManager } from 'typeorm';
import { plainReason } from '../../common/evidence/describe-evidence';
import { actionCalculation } from '../../policies/action-words';
import type { ActionRow } from '../http/dashboard.schemas';

const LIMIT = 500;
const opt = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);
const isoOpt = (value: Date | null) => (value ? new Date(value).toISOString() : undefined);

/**
 * Actions for the inbox and the client page, newest first, each with its client's name and
 * its audit trail (one query for the trails of the whole list).
 */
export async function loadActions(manager: EntityManager, filter: { status?: string; kind?: string; customerId?: string }): Promise<ActionRow[]> {
  const rows = (await manager.query(
    `SELECT a.id, a.kind, a.client_id, c.name, a.status, a.mode, a.invoice_id, a.amount, a.currency, a.reason, a.params, a.stripe_ids, a.error,
            a.proposed_at, a.decided_at, a.applied_at
       FROM actions a LEFT JOIN clients c ON c.id = a.client_id
      WHERE ($1::text IS NULL OR a.status = $1) AND ($2::text IS NULL OR a.kind = $2) AND ($3::text IS NULL OR a.client_id = $3)
      ORDER BY a.proposed_at DESC, a.id LIMIT $4`,
    [filter.status ?? null, filter.kind ?? null, filter.customerId ?? null, LIMIT],
  )) as Record<string, unknown>[];
  if (rows.length === 0) return [];
  const audit = (await manager.query(
    `SELECT action_id, from_status, to_status, actor, at, note FROM action_audit WHERE action_id = ANY($1::uuid[]) ORDER BY action_id, id`,
    [rows.map((row) => row.id)],
  )) as { action_id: string; from_status: string | null; to_status: string; actor: string; at: Date; note: string | null }[];
  const trails = new Map<string, ActionRow['audit']>();
  for (const entry of audit) {
    const trail = trails.get(entry.action_id) ?? [];
    trail.push({
      fromStatus: opt(entry.from_status),
      toStatus: entry.to_status,
      actor: entry.actor,
      at: new Date(entry.at).toISOString(),
      note: entry.note === null ? undefined : plainReason(entry.note), // a proposal's note is its reason: in words too
    });
    trails.set(entry.action_id, trail);
  }
  return rows.map((row) => {
    const kind = row.kind as ActionRow['kind'];
    const params = (row.params ?? {}) as Record<string, unknown>;
    const amount = row.amount === null ? undefined : { amount: Number(row.amount), currency: (row.currency as string).trim() };
    return {
      id: row.id as string,
      kind,
      customerId: row.client_id as string,
      clientName: opt(row.name as string | null),
      status: row.status as ActionRow['status'],
      mode: row.mode as ActionRow['mode'],
      invoiceId: opt(row.invoice_id as string | null),
      amount,
      reason: row.reason as string,
      why: plainReason(row.reason as string),
      calculation: actionCalculation({ kind, params, amount: amount ?? null }),
      params,
      stripeIds: (row.stripe_ids ?? {}) as Record<string, string>,
      error: opt(row.error as string | null),
      proposedAt: new Date(row.proposed_at as Date).toISOString(),
      decidedAt: isoOpt(row.decided_at as Date | null),
      appliedAt: isoOpt(row.applied_at as Date | null),
      audit: trails.get(row.id as string) ?? [],
    };
  });
}
