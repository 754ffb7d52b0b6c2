import type { EntityManager } from 'typeorm';
import { listAccounts } from '../accounts/accounts.query';

/** One Stripe account this instance works for, as people see it. */
export interface InstanceAccount {
  stripeAccountId: string;
  name: string;
}

/** What the environment's account (STRIPE_SECRET_KEY, or the built-in sandbox) is called: it has no row in `accounts`. */
export const ENVIRONMENT_ACCOUNT_NAME = 'Your Stripe account';

/**
 * The accounts of this instance, the same set `resolveAccount` chooses from: the added ones
 * not removed, by name; with none added, the one account of the environment.
 */
export async function instanceAccounts(manager: EntityManager, environmentAccountId: string): Promise<InstanceAccount[]> {
  const added = await listAccounts(manager);
  if (added.length === 0) return [{ stripeAccountId: environmentAccountId, name: ENVIRONMENT_ACCOUNT_NAME }];
  return added.map((a) => ({ stripeAccountId: a.stripeAccountId, name: a.name }));
}
