import { DomainError } from '../common/errors';
import type { GrantRole, InstanceAccount, Person } from '../people';

/**
 * Who is calling /api:
 * - `owner`: the instance's owner, as before there were people — the bearer API_TOKEN (or the
 *   generated one) and sessions opened by the printed link, `payrisk login-link` or "Email me a
 *   link" to OWNER_EMAIL. Sees every account, as owner.
 * - `person`: someone added with `payrisk people add`, by their session or their own token;
 *   sees the accounts granted to them, in the role granted.
 * - `account`: a token made for one account (`payrisk tokens create --account`); sees that one.
 */
export type Principal =
  | { kind: 'owner'; via: 'token' | 'session' }
  | { kind: 'person'; person: Person; via: 'token' | 'session' }
  | { kind: 'account'; stripeAccountId: string; tokenName: string };

/** An account the caller may act for, and as what. */
export interface AccessibleAccount extends InstanceAccount {
  role: GrantRole;
}

/** Of the instance's accounts, those the principal may see (`grants` only matter for a person). */
export function accessibleAccounts(
  principal: Principal,
  accounts: InstanceAccount[],
  grants: { stripeAccountId: string; role: GrantRole }[],
): AccessibleAccount[] {
  if (principal.kind === 'owner') return accounts.map((a) => ({ ...a, role: 'owner' }));
  if (principal.kind === 'account') return accounts.filter((a) => a.stripeAccountId === principal.stripeAccountId).map((a) => ({ ...a, role: 'owner' }));
  const roles = new Map(grants.map((g) => [g.stripeAccountId, g.role]));
  return accounts.flatMap((a) => {
    const role = roles.get(a.stripeAccountId);
    return role ? [{ ...a, role }] : [];
  });
}

const listed = (accounts: AccessibleAccount[]) => accounts.map((a) => `${a.name} (${a.stripeAccountId})`).join(', ');

/**
 * The account a request acts for: the one asked for (the Payrisk-Account header, or the
 * session's selected account), else the only one the caller may see. An account the caller
 * may not see answers exactly like one that does not exist, so a stranger learns nothing.
 */
export function chooseAccount(accessible: AccessibleAccount[], requested: string | undefined): AccessibleAccount {
  if (requested !== undefined) {
    const match = accessible.find((a) => a.stripeAccountId === requested);
    if (match) return match;
    throw new DomainError('not_found', `No account ${requested} among the accounts you may see${accessible.length ? `: ${listed(accessible)}` : ''}`, {
      account: requested,
    });
  }
  if (accessible.length === 1) return accessible[0];
  if (accessible.length === 0)
    throw new DomainError('forbidden', 'No Stripe account is granted to you: ask its owner to run "payrisk people add YOUR_EMAIL --account ACCT"');
  throw new DomainError('invalid_input', `You may see ${accessible.length} accounts: say which with the Payrisk-Account header (${listed(accessible)})`, {
    field: 'Payrisk-Account',
    accounts: accessible.map((a) => a.stripeAccountId),
  });
}
