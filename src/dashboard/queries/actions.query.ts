import type { EntityManager } from 'typeorm';
import { column, selectRows } from '../../database/select-rows';
import { plainReason } from '../../common/evidence/describe-evidence';
import { actionCalculation } from '../../policies/action-words';
import { actionRow } from '../../policies/persistence/action-row';
import { auditRow } from '../../policies/persistence/actions.query';
import { actorWords } from '../../policies/action-words';
import type { ActionRow } from '../http/dashboard.schemas';

const LIMIT = 500;
const opt = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);
const isoOpt = (value: Date | null) => (value ? new Date(value).toISOString() : undefined);

/** What the list selects of an action, with its client's name. */
const listedAction = actionRow.omit({ stripe_account_id: true, dedupe_key: true, expires_at: true, updated_at: true }).extend({ name: column.text.nullable() });

/**
 * Actions for the inbox and the client page, newest first, each with its client's name and
 * its audit trail (one query for the trails of the whole list).
 */
export async function loadActions(manager: EntityManager, filter: { status?: string; kind?: string; customerId?: string }): Promise<ActionRow[]> {
  const rows = await selectRows(
    manager,
    `SELECT a.id, a.kind, a.client_id, c.name, a.status, a.mode, a.invoice_id, a.amount, a.currency, a.reason, a.params, a.stripe_ids, a.error,
            a.proposed_at, a.decided_at, a.applied_at
       FROM actions a LEFT JOIN clients c ON c.id = a.client_id
      WHERE ($1::text IS NULL OR a.status = $1) AND ($2::text IS NULL OR a.kind = $2) AND ($3::text IS NULL OR a.client_id = $3)
      ORDER BY a.proposed_at DESC, a.id LIMIT $4`,
    [filter.status ?? null, filter.kind ?? null, filter.customerId ?? null, LIMIT],
    listedAction,
  );
  if (rows.length === 0) return [];
  const audit = await selectRows(
    manager,
    `SELECT action_id, from_status, to_status, actor, at, note FROM action_audit WHERE action_id = ANY($1::uuid[]) ORDER BY action_id, id`,
    [rows.map((row) => row.id)],
    auditRow.omit({ stripe_ids: true }).extend({ action_id: column.text }),
  );
  const trails = new Map<string, ActionRow['audit']>();
  for (const entry of audit) {
    const trail = trails.get(entry.action_id) ?? [];
    trail.push({
      fromStatus: opt(entry.from_status),
      toStatus: entry.to_status,
      actor: entry.actor,
      by: actorWords(entry.actor),
      at: new Date(entry.at).toISOString(),
      note: entry.note === null ? undefined : plainReason(entry.note), // a proposal's note is its reason: in words too
    });
    trails.set(entry.action_id, trail);
  }
  return rows.map((row) => {
    const kind = row.kind;
    const params = row.params;
    const amount = row.amount === null ? undefined : { amount: Number(row.amount), currency: (row.currency ?? '').trim() };
    return {
      id: row.id,
      kind,
      customerId: row.client_id,
      clientName: opt(row.name),
      status: row.status,
      mode: row.mode,
      invoiceId: opt(row.invoice_id),
      amount,
      reason: row.reason,
      why: plainReason(row.reason),
      calculation: actionCalculation({ kind, params, amount: amount ?? null }),
      params,
      stripeIds: row.stripe_ids,
      error: opt(row.error),
      proposedAt: row.proposed_at.toISOString(),
      decidedAt: isoOpt(row.decided_at),
      appliedAt: isoOpt(row.applied_at),
      audit: trails.get(row.id) ?? [],
    };
  });
}
