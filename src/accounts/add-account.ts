import { isAbsolute, resolve } from 'node:path';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { DomainError, invalidInput } from '../common/errors';
import { ConfigError, loadConfig } from '../config';
import { accountNamed, upsertAccount } from './accounts.query';
import { sealSecret } from './secrets/secret-cipher';

export interface AddAccountInput {
  name: string;
  apiKey: string;
  webhookSecret?: string;
  ownerEmail?: string;
  /** A YAML policy file for this account; none = the default one. Relative paths resolve against `cwd`. */
  policyFile?: string;
}

export interface AddedAccount {
  stripeAccountId: string;
  name: string;
  apiKeyHint: string;
  defaultCurrency: string | null;
  created: boolean;
}

const inputSchema = z.object({
  name: z.string().trim().min(1, 'expected a name, e.g. "Acme Studio"').max(100, 'at most 100 characters'),
  apiKey: z.string().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, 'expected a Stripe secret or restricted key (sk_live_…, sk_test_…, rk_live_…, rk_test_…)'),
  webhookSecret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9_+/=]+$/, 'expected a webhook signing secret starting with whsec_')
    .optional(),
  ownerEmail: z.email('expected an email address like owner@example.com').optional(),
  policyFile: z.string().min(1).optional(),
});

/** What a key is shown as: its kind and its last four characters (`sk_test_…wxyz`), never more. */
export function keyHint(apiKey: string): string {
  const prefix = /^(sk|rk)_(test|live)_/.exec(apiKey)?.[0] ?? '';
  return `${prefix}…${apiKey.slice(-4)}`;
}

/** The context a secret is sealed under (secret-cipher.ts): the account and the column. */
export const sealContext = (stripeAccountId: string, what: 'api_key' | 'webhook_secret') => `accounts:${stripeAccountId}:${what}`;

/**
 * Which account a key belongs to, asked of Stripe (`GET /v1/account`): the answer is the id
 * every row of that account will carry, so it is never guessed. A refusal says what to do.
 */
async function retrieveAccount(stripe: Stripe, hint: string): Promise<Stripe.Account> {
  try {
    return await stripe.accounts.retrieveCurrent();
  } catch (error) {
    const e = error as { type?: string; message?: string; statusCode?: number };
    if (e.type === 'StripeAuthenticationError' || e.statusCode === 401)
      throw invalidInput(
        `Stripe rejected the key ${hint} (${e.message ?? 'invalid API key'}): copy the key ` +
          `again from the Stripe dashboard (Developers → API keys) and run the command again.`,
        { field: 'key' },
      );
    if (e.type === 'StripePermissionError' || e.statusCode === 403)
      throw invalidInput(
        `Stripe refused to say which account the key ${hint} belongs to (GET /v1/account: ` +
          `${e.message ?? 'permission denied'}): give the restricted key read access to "Account" or use a secret key.`,
        { field: 'key' },
      );
    throw new DomainError(
      'upstream_unavailable',
      `could not ask Stripe which account the key ${hint} belongs to (${e.message ?? String(error)}); ` +
        `check the network (or STRIPE_API_BASE) and run the command again. Nothing was stored.`,
    );
  }
}

/**
 * `payrisk accounts add`: validates the input, reads the account id from Stripe, seals the
 * key and the webhook secret with the data key and stores the account (again: updated).
 */
export async function addAccount(
  manager: EntityManager,
  raw: AddAccountInput,
  deps: { stripe: Stripe; dataKey: Buffer; now: Date; cwd: string },
): Promise<AddedAccount> {
  const parsed = inputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidInput(`${String(issue.path[0] ?? 'input')}: ${issue.message}`, { field: issue.path[0] });
  }
  const input = parsed.data;
  let policyFile: string | null = null;
  if (input.policyFile) {
    policyFile = isAbsolute(input.policyFile) ? input.policyFile : resolve(deps.cwd, input.policyFile);
    try {
      // The same validation as PAYRISK_CONFIG at boot: a bad file is refused now, not at the account's first run.
      loadConfig({ PAYRISK_CONFIG: policyFile }, deps.cwd);
    } catch (error) {
      if (error instanceof ConfigError) throw invalidInput(`--config: ${error.message.replace('PAYRISK_CONFIG: ', '')}`, { field: 'config' });
      throw error;
    }
  }
  const hint = keyHint(input.apiKey);
  const account = await retrieveAccount(deps.stripe, hint);
  const sameName = await accountNamed(manager, input.name);
  if (sameName && sameName.stripeAccountId !== account.id)
    throw new DomainError(
      'conflict',
      `the name "${input.name}" is already used by account ${sameName.stripeAccountId}; choose another --name (or remove that account first)`,
      { field: 'name' },
    );
  const { created } = await upsertAccount(
    manager,
    {
      stripeAccountId: account.id,
      name: input.name,
      apiKeySealed: sealSecret(input.apiKey, deps.dataKey, sealContext(account.id, 'api_key')),
      apiKeyHint: hint,
      livemode: input.apiKey.includes('_live_'),
      webhookSecretSealed: input.webhookSecret ? sealSecret(input.webhookSecret, deps.dataKey, sealContext(account.id, 'webhook_secret')) : null,
      ownerEmail: input.ownerEmail ?? null,
      policyFile,
      defaultCurrency: account.default_currency ?? null,
    },
    deps.now,
  );
  return { stripeAccountId: account.id, name: input.name, apiKeyHint: hint, defaultCurrency: account.default_currency ?? null, created };
}
