import { toMajorUnitsString } from '../common/money';
import type { ActionRecord } from './persistence/action-row';

/** The public shape of an action (API and `payrisk actions list --json`). */
export function actionView(action: ActionRecord) {
  return {
    id: action.id,
    kind: action.kind,
    customerId: action.clientId,
    status: action.status,
    mode: action.mode,
    invoiceId: action.invoiceId,
    amount: action.amount ? { amount: action.amount.amount, currency: action.amount.currency, major: toMajorUnitsString(action.amount) } : null,
    reason: action.reason,
    params: action.params,
    stripeIds: action.stripeIds,
    error: action.error,
    proposedAt: action.proposedAt.toISOString(),
    expiresAt: action.expiresAt?.toISOString() ?? null,
    decidedAt: action.decidedAt?.toISOString() ?? null,
    appliedAt: action.appliedAt?.toISOString() ?? null,
  };
}
