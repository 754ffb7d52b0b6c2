import type { Money } from '../../common/money';

export const ACTION_KINDS = ['late_fee', 'work_pause', 'work_resume', 'price_increase'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
export const ACTION_STATUSES = ['proposed', 'approved', 'applied', 'rejected', 'failed', 'waived', 'expired'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
/** Who moved an action: the policy job, the owner through an email link, the API, or the CLI. */
export const ACTORS = ['system', 'owner_link', 'api', 'cli', 'dashboard'] as const;
export type Actor = (typeof ACTORS)[number];
export const APPLY_MODES = ['auto', 'approve'] as const;
export type ApplyMode = (typeof APPLY_MODES)[number];

/**
 * The only moves an action can make. `proposed → approved → applied` is the happy path;
 * `approved → approved` does not exist: a transient Stripe failure leaves the action
 * approved (retried next run with the same idempotency keys), a permanent one fails it.
 */
const allowed: Record<ActionStatus, readonly ActionStatus[]> = {
  proposed: ['approved', 'rejected', 'expired'],
  approved: ['applied', 'failed', 'expired'],
  applied: ['waived'],
  failed: ['approved'],
  rejected: [],
  waived: [],
  expired: [],
};

export function canTransition(from: ActionStatus, to: ActionStatus): boolean {
  return allowed[from].includes(to);
}

/** The statuses a transition to `to` may start from. */
export function sourcesOf(to: ActionStatus): ActionStatus[] {
  return (Object.keys(allowed) as ActionStatus[]).filter((from) => canTransition(from, to));
}

/** A decision of the planner: what payrisk would do, before anything is written. */
export interface PlannedAction {
  kind: ActionKind;
  clientId: string;
  clientName: string | null;
  mode: ApplyMode;
  /** Unique per real-world decision; a second run plans the same key and is a no-op. */
  dedupeKey: string;
  invoiceId: string | null;
  amount: Money | null;
  reason: string;
  params: Record<string, unknown>;
}
