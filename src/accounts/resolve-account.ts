import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors';
import { listAccounts, type AccountRow } from './accounts.query';

/**
 * The account a command works for:
 * - `environment`: no account was added; payrisk works, as it always has, on the one
 *   account of STRIPE_SECRET_KEY (or the built-in sandbox);
 * - `added`: one row of `accounts`.
 */
export type ResolvedAccount = { source: 'environment' } | { source: 'added'; account: AccountRow };

/** "Shop (acct_123)" lines, for the messages that ask the user to choose. */
export const describeAccounts = (accounts: AccountRow[]): string => accounts.map((a) => `  ${a.name}  ${a.stripeAccountId}`).join('\n');

/**
 * What `--account ACCT` means (ACCT is an account id or a name, case-insensitive):
 * given, the added account it names (never a removed one); not given, the only added
 * account, or the environment's when none was added. Several added and none given is an
 * error that lists them, so a command never picks one for the user.
 */
export async function resolveAccount(manager: EntityManager, requested?: string): Promise<ResolvedAccount> {
  const accounts = await listAccounts(manager, { includeRemoved: requested !== undefined });
  const active = accounts.filter((a) => a.removedAt === null);
  if (requested === undefined) {
    if (active.length === 0) return { source: 'environment' };
    if (active.length === 1) return { source: 'added', account: active[0] };
    throw new DomainError(
      'invalid_input',
      `${active.length} Stripe accounts are added; say which one with --account ID_OR_NAME:\n${describeAccounts(active)}`,
      { accounts: active.map((a) => a.stripeAccountId) },
    );
  }
  const wanted = requested.trim();
  const match = accounts.find((a) => a.stripeAccountId === wanted) ?? active.find((a) => a.name.toLowerCase() === wanted.toLowerCase());
  if (match?.removedAt) {
    throw new DomainError(
      'precondition_failed',
      `account ${match.name} (${match.stripeAccountId}) was removed on ${match.removedAt.toISOString().slice(0, 10)}; ` +
        `add it again with \`payrisk accounts add --name … --key …\` to work on it`,
      { account: match.stripeAccountId },
    );
  }
  if (match) return { source: 'added', account: match };
  const known =
    active.length > 0 ? `; the accounts are:\n${describeAccounts(active)}` : '; no account is added yet (`payrisk accounts add --name NAME --key sk_…`)';
  throw new DomainError('not_found', `no Stripe account is called or has the id "${wanted}"${known}`, { account: wanted });
}
