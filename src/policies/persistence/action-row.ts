import { money, Money } from '../../common/money';
import { z } from 'zod';
import { column } from '../../database/select-rows';
import { ACTION_KINDS, ACTION_STATUSES, APPLY_MODES, type ActionKind, type ActionStatus, type ApplyMode } from '../domain/action';

/** An action as stored, with money rebuilt from its minor units. */
export interface ActionRecord {
  id: string;
  kind: ActionKind;
  clientId: string;
  stripeAccountId: string;
  status: ActionStatus;
  mode: ApplyMode;
  invoiceId: string | null;
  amount: Money | null;
  dedupeKey: string;
  reason: string;
  params: Record<string, unknown>;
  stripeIds: Record<string, string>;
  error: string | null;
  proposedAt: Date;
  expiresAt: Date | null;
  decidedAt: Date | null;
  appliedAt: Date | null;
  updatedAt: Date;
}

/** A row of `actions` as node-postgres returns it (`SELECT *` / `RETURNING *`). */
export const actionRow = z.object({
  id: column.text,
  kind: z.enum(ACTION_KINDS),
  client_id: column.text,
  stripe_account_id: column.text,
  status: z.enum(ACTION_STATUSES),
  mode: z.enum(APPLY_MODES),
  invoice_id: column.text.nullable(),
  amount: column.bigint.nullable(),
  currency: column.text.nullable(),
  dedupe_key: column.text,
  reason: column.text,
  params: column.json,
  stripe_ids: z.record(z.string(), z.string()),
  error: column.text.nullable(),
  proposed_at: column.timestamp,
  expires_at: column.timestamp.nullable(),
  decided_at: column.timestamp.nullable(),
  applied_at: column.timestamp.nullable(),
  updated_at: column.timestamp,
});
export type ActionDbRow = z.output<typeof actionRow>;

export function toActionRecord(row: ActionDbRow): ActionRecord {
  return {
    id: row.id,
    kind: row.kind,
    clientId: row.client_id,
    stripeAccountId: row.stripe_account_id,
    status: row.status,
    mode: row.mode,
    invoiceId: row.invoice_id,
    amount: row.amount !== null && row.currency ? money(row.amount, row.currency.trim()) : null,
    dedupeKey: row.dedupe_key,
    reason: row.reason,
    params: row.params,
    stripeIds: row.stripe_ids,
    error: row.error,
    proposedAt: row.proposed_at,
    expiresAt: row.expires_at,
    decidedAt: row.decided_at,
    appliedAt: row.applied_at,
    updatedAt: row.updated_at,
  };
}
