import { buildApprovalUrl } from '../../policies/approvals/approval-link';

/** One-click approve/reject link for owner emails; the format is owned by the policies feature. */
export function buildApprovalLink(
  publicUrl: string,
  actionId: string,
  decision: 'approve' | 'reject' | 'waive',
  expiresAt: Date,
  secret: string,
  account: string,
): string {
  return buildApprovalUrl(publicUrl, actionId, decision, expiresAt, secret, account);
}
