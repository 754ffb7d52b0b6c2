import { money, Money } from '../../common/money';
import type { ActionKind, ActionStatus, ApplyMode } from '../domain/action';

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

export interface ActionDbRow {
  id: string;
  kind: ActionKind;
  client_id: string;
  stripe_account_id: string;
  status: ActionStatus;
  mode: ApplyMode;
  invoice_id: string | null;
  amount: string | null;
  currency: string | null;
  dedupe_key: string;
  reason: string;
  params: Record<string, unknown>;
  stripe_ids: Record<string, string>;
  error: string | null;
  proposed_at: Date;
  expires_at: Date | null;
  decided_at: Date | null;
  applied_at: Date | null;
  updated_at: Date;
}

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
