import { createHmac, timingSafeEqual } from 'node:crypto';

/** `waive` is the undo link of an applied late fee. */
export type ApprovalDecision = 'approve' | 'reject' | 'waive';
const DECISIONS: readonly string[] = ['approve', 'reject', 'waive'];

/** With an account, the signature covers it too (`account:actionId:decision:expires`); without, it is a link from before there were several accounts. */
function signature(secret: string, actionId: string, decision: ApprovalDecision, expires: number, account?: string): string {
  return createHmac('sha256', secret)
    .update(`${account ? `${account}:` : ''}${actionId}:${decision}:${expires}`)
    .digest('hex');
}

/**
 * The one-click link in the owner's email:
 * `${publicUrl}/approvals/${actionId}/${decision}?expires=<unix s>&sig=<hex HMAC-SHA256 of "account:actionId:decision:expires">&account=<acct_…>`
 * The decision and the action's Stripe account are inside the signature, so an approve link
 * cannot be edited into a reject, nor made to act in another account (issue 18). Links made
 * without an account (before there were several) act for the environment's account only.
 */
export function buildApprovalUrl(publicUrl: string, actionId: string, decision: ApprovalDecision, expiresAt: Date, secret: string, account?: string): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  const page = `${publicUrl.replace(/\/+$/, '')}/approvals/${encodeURIComponent(actionId)}/${decision}`;
  const tail = account ? `&account=${encodeURIComponent(account)}` : '';
  return `${page}?expires=${expires}&sig=${signature(secret, actionId, decision, expires, account)}${tail}`;
}

export type LinkCheck = { ok: true; expiresAt: Date } | { ok: false; problem: 'forged' | 'expired'; expiresAt?: Date };

/** Checks a link's signature first (a forged link learns nothing), then its expiry against `now`. */
export function verifyApprovalLink(
  secret: string,
  actionId: string,
  decision: string,
  expires: string | undefined,
  sig: string | undefined,
  now: Date,
  account?: string,
): LinkCheck {
  if (!DECISIONS.includes(decision) || !expires || !/^\d{1,12}$/.test(expires) || !sig || !/^[0-9a-f]{64}$/.test(sig)) return { ok: false, problem: 'forged' };
  const expected = Buffer.from(signature(secret, actionId, decision as ApprovalDecision, Number(expires), account), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) return { ok: false, problem: 'forged' };
  const expiresAt = new Date(Number(expires) * 1000);
  return now.getTime() > expiresAt.getTime() ? { ok: false, problem: 'expired', expiresAt } : { ok: true, expiresAt };
}
