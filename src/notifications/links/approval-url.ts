import { createHmac } from 'node:crypto';

/**
 * One-click approve/reject link, in the exact format of contract C
 * (`${publicUrl}/approvals/${actionId}/${decision}?expires=<unix s>&sig=<hex HMAC-SHA256 of "actionId:decision:expires">`).
 * The policies feature owns the controller that serves it; its own `buildApprovalUrl`
 * (src/policies/approvals/approval-link.ts) did not exist when this was written, so the
 * format is built here in one place. Replace this body with a call to it once it lands.
 */
export function buildApprovalLink(publicUrl: string, actionId: string, decision: 'approve' | 'reject', expiresAt: Date, secret: string): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  const sig = createHmac('sha256', secret).update(`${actionId}:${decision}:${expires}`).digest('hex');
  return `${publicUrl.replace(/\/+$/, '')}/approvals/${encodeURIComponent(actionId)}/${decision}?expires=${expires}&sig=${sig}`;
}
