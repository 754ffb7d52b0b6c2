import type { AccountRow } from './accounts.query';
import { sealContext } from './add-account';
import { openSecret, SecretCipherError } from './secrets/secret-cipher';
import type { DataKey } from './secrets/data-key';

/** The account's Stripe key and webhook secret, opened with the data key; an error names the account and the key's source when they do not open. */
export function openAccountSecrets(account: AccountRow, dataKey: DataKey): { apiKey: string; webhookSecret?: string } {
  if (!account.apiKeySealed)
    throw new Error(
      `account ${account.name} (${account.stripeAccountId}) is connected through the platform ${account.platformAccountId ?? ''}: it has no key of its own; ` +
        'call Stripe for it with the platform key and its Stripe-Account (stripeClientForAccount)',
    );
  const apiKeySealed = account.apiKeySealed;
  try {
    return {
      apiKey: openSecret(apiKeySealed, dataKey.key, sealContext(account.stripeAccountId, 'api_key')),
      webhookSecret: account.webhookSecretSealed
        ? openSecret(account.webhookSecretSealed, dataKey.key, sealContext(account.stripeAccountId, 'webhook_secret'))
        : undefined,
    };
  } catch (error) {
    if (!(error instanceof SecretCipherError)) throw error;
    throw new Error(
      `the stored keys of account ${account.name} (${account.stripeAccountId}) do not open with the data key from ${dataKey.source}: ${error.message}. ` +
        'Use the PAYRISK_SECRET_KEY (or secret.key) they were added with, or add the account again with its key.',
      { cause: error },
    );
  }
}
