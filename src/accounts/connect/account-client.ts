import type Stripe from 'stripe';
import { createStripeClient, type StripeClientOptions } from '../../stripe/stripe-client.factory';
import { openAccountSecrets } from '../account-secrets';
import type { AccountRow } from '../accounts.query';
import type { DataKey } from '../secrets/data-key';

/**
 * The Stripe client that works for one added account:
 * - added with its key: that key, opened with the data key;
 * - connected through the platform: the platform's key (STRIPE_SECRET_KEY), every request
 *   with `Stripe-Account: acct_…`, as Stripe wants for Standard accounts (no key of theirs stored).
 */
export function stripeClientForAccount(
  account: AccountRow,
  deps: { platformKey?: string; dataKey?: DataKey } & Omit<StripeClientOptions, 'secretKey' | 'stripeAccount'>,
): Stripe {
  const { platformKey, dataKey, ...options } = deps;
  if (account.connection === 'connect') {
    if (!platformKey)
      throw new Error(
        `account ${account.name} (${account.stripeAccountId}) is connected through the platform ` +
          `${account.platformAccountId ?? ''}: set STRIPE_SECRET_KEY to the platform's key to reach it`,
      );
    return createStripeClient({ ...options, secretKey: platformKey, stripeAccount: account.stripeAccountId });
  }
  if (!dataKey) throw new Error(`account ${account.name} (${account.stripeAccountId}): its key is sealed; the data key is needed to open it`);
  return createStripeClient({ ...options, secretKey: openAccountSecrets(account, dataKey).apiKey });
}
