import { buildApprovalUrl, verifyApprovalLink } from './approval-link';

const SECRET = 'k'.repeat(64);
const NOW = new Date('2026-11-25T09:00:00Z');
const EXPIRES = new Date('2026-11-28T09:00:00Z');

function parts(url: string) {
  const parsed = new URL(url);
  const [, , id, decision] = parsed.pathname.split('/');
  return { id, decision, expires: parsed.searchParams.get('expires') ?? undefined, sig: parsed.searchParams.get('sig') ?? undefined };
}

describe('approval links', () => {
  const url = buildApprovalUrl('https://payrisk.example/', 'a1b2', 'approve', EXPIRES, SECRET);

  it('has the documented shape', () => {
    expect(url).toMatch(/^https:\/\/payrisk\.example\/approvals\/a1b2\/approve\?expires=1795856400&sig=[0-9a-f]{64}$/);
  });

  it('verifies until it expires, then says expired', () => {
    const { id, decision, expires, sig } = parts(url);
    expect(verifyApprovalLink(SECRET, id, decision, expires, sig, NOW)).toEqual({ ok: true, expiresAt: EXPIRES });
    expect(verifyApprovalLink(SECRET, id, decision, expires, sig, new Date(EXPIRES.getTime() + 1000))).toEqual({
      ok: false,
      problem: 'expired',
      expiresAt: EXPIRES,
    });
  });

  it('signs undo (waive) links the same way, and never lets one act as an approval', () => {
    const undo = parts(buildApprovalUrl('https://p.example', 'a1b2', 'waive', EXPIRES, SECRET));
    expect(verifyApprovalLink(SECRET, undo.id, 'waive', undo.expires, undo.sig, NOW)).toEqual({ ok: true, expiresAt: EXPIRES });
    expect(verifyApprovalLink(SECRET, undo.id, 'approve', undo.expires, undo.sig, NOW)).toEqual({ ok: false, problem: 'forged' });
    expect(verifyApprovalLink(SECRET, undo.id, 'delete', undo.expires, undo.sig, NOW)).toEqual({ ok: false, problem: 'forged' });
  });

  it('refuses a link whose decision, action, expiry or key was changed', () => {
    const { id, expires, sig } = parts(url);
    expect(verifyApprovalLink(SECRET, id, 'reject', expires, sig, NOW)).toEqual({ ok: false, problem: 'forged' });
    expect(verifyApprovalLink(SECRET, 'other', 'approve', expires, sig, NOW)).toEqual({ ok: false, problem: 'forged' });
    expect(verifyApprovalLink(SECRET, id, 'approve', String(Number(expires) + 3600), sig, NOW)).toEqual({ ok: false, problem: 'forged' });
    expect(verifyApprovalLink('x'.repeat(64), id, 'approve', expires, sig, NOW)).toEqual({ ok: false, problem: 'forged' });
    expect(verifyApprovalLink(SECRET, id, 'approve', expires, 'zz', NOW)).toEqual({ ok: false, problem: 'forged' });
    expect(verifyApprovalLink(SECRET, id, 'approve', undefined, sig, NOW)).toEqual({ ok: false, problem: 'forged' });
  });

  it("carries its action's account inside the signature: another account, or none, is a forged link", () => {
    const withAccount = new URL(buildApprovalUrl('https://p.example', 'a1b2', 'approve', EXPIRES, SECRET, 'acct_A'));
    expect(withAccount.searchParams.get('account')).toBe('acct_A');
    const { id, decision, expires, sig } = parts(withAccount.toString());
    expect(verifyApprovalLink(SECRET, id, decision, expires, sig, NOW, 'acct_A')).toEqual({ ok: true, expiresAt: EXPIRES });
    expect(verifyApprovalLink(SECRET, id, decision, expires, sig, NOW, 'acct_B')).toEqual({ ok: false, problem: 'forged' });
    expect(verifyApprovalLink(SECRET, id, decision, expires, sig, NOW)).toEqual({ ok: false, problem: 'forged' });
    // A link from before there were accounts does not become one of an account.
    const legacy = parts(url);
    expect(verifyApprovalLink(SECRET, legacy.id, legacy.decision, legacy.expires, legacy.sig, NOW, 'acct_A')).toEqual({ ok: false, problem: 'forged' });
  });
});
