import type Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import type { AppConfig, PolicyFile } from '../../config';
import type { StripeConnection } from '../../stripe/stripe-connection';
import { createStripeClient } from '../../stripe/stripe-client.factory';
import { createRequestBudget, requestsPerSecondFor, type RequestBudget } from '../../stripe/sync/request-budget/request-budget';
import { StripeSyncService } from '../../stripe/sync/stripe-sync.service';
import { openAccountSecrets } from '../account-secrets';
import type { AccountRow } from '../accounts.query';
import type { DataKey } from '../secrets/data-key';
import type { PolicyFiles } from './policy-files';

/**
 * Everything that depends on which Stripe account payrisk works for, in one place: its
 * Stripe client (own key, or the platform's key with `Stripe-Account`), its own request
 * budget, its webhook secret, its owner's email, its policy file, its currency and name.
 * Services read the runtime of the scoped account (`AccountRuntimes.current()`), never
 * STRIPE_CONNECTION or AppConfig's owner email and policy directly.
 */
export interface AccountRuntime {
  accountId: string;
  /** What people read: the added account's name, or what Stripe calls the environment's account. */
  name: string;
  /** `environment`: STRIPE_SECRET_KEY (or the built-in sandbox), as with one account; `added`: a row of `accounts`. */
  source: 'environment' | 'added';
  stripe: Stripe;
  /** This account's own Stripe request allowance: one busy account never spends another's. */
  budget: RequestBudget;
  /** Verifies the webhooks Stripe sends for this account's own endpoint; undefined = none configured. */
  webhookSecret?: string;
  ownerEmail: string;
  policy: PolicyFile;
  policyFilePath: string;
  /** The account's default currency in Stripe (lower case), when known. */
  currency: string | null;
  /** The app's config as this account sees it: its policy file and owner email in place of the environment's. */
  config: AppConfig;
  /** Sync (backfill, catch-up, webhook batches) for this account, with its client and its id on every row. */
  sync: StripeSyncService;
}

/**
 * The account of the environment (STRIPE_SECRET_KEY or the built-in sandbox, OWNER_EMAIL, PAYRISK_CONFIG):
 * the runtime when no account is added, exactly as before.
 */
export function environmentRuntime(connection: StripeConnection, config: AppConfig, dataSource: DataSource, sync?: StripeSyncService): AccountRuntime {
  return {
    accountId: connection.accountId,
    name: connection.displayName ?? connection.accountId,
    source: 'environment',
    stripe: connection.stripe,
    budget: connection.budget,
    webhookSecret: connection.webhookSecret,
    ownerEmail: config.mail.ownerEmail,
    policy: config.policy,
    policyFilePath: config.policyFilePath,
    currency: connection.defaultCurrency ?? null,
    config,
    sync: sync ?? syncFor(dataSource, connection.stripe, connection.accountId, config),
  };
}

export interface AddedRuntimeDeps {
  config: AppConfig;
  dataSource: DataSource;
  policies: PolicyFiles;
  /** Opens the keys of accounts added by key. */
  dataKey: () => DataKey;
  /** The Connect platform's key and API base (the environment's connection): connected accounts are reached with it. */
  platform: { secretKey?: string; apiBase?: string };
  /** Overrides the policy's requests per second (benchmarks). */
  requestsPerSecond?: number;
}

/** The runtime of an added account: its key (or the platform's with `Stripe-Account`), its owner email and policy file or the environment's. */
export function addedAccountRuntime(account: AccountRow, deps: AddedRuntimeDeps): AccountRuntime {
  const policyFilePath = account.policyFile ?? deps.config.policyFilePath;
  const policy = account.policyFile ? deps.policies.load(account.policyFile) : deps.config.policy;
  const ownerEmail = account.ownerEmail ?? deps.config.mail.ownerEmail;
  const config: AppConfig = { ...deps.config, policy, policyFilePath, mail: { ...deps.config.mail, ownerEmail } };
  let secretKey: string;
  let webhookSecret: string | undefined;
  let stripeAccount: string | undefined;
  if (account.connection === 'connect') {
    if (!deps.platform.secretKey)
      throw new Error(
        `account ${account.name} (${account.stripeAccountId}) is connected through the platform ${account.platformAccountId ?? ''}: ` +
          "set STRIPE_SECRET_KEY to the platform's key to reach it",
      );
    secretKey = deps.platform.secretKey;
    stripeAccount = account.stripeAccountId;
  } else {
    const secrets = openAccountSecrets(account, deps.dataKey());
    secretKey = secrets.apiKey;
    webhookSecret = secrets.webhookSecret;
  }
  const budget = createRequestBudget(deps.requestsPerSecond ?? requestsPerSecondFor(secretKey, policy.stripe));
  // Accounts added by key reach Stripe at the environment's API base too (STRIPE_API_BASE: the sandbox in tests and demos).
  const stripe = createStripeClient({ secretKey, apiBase: deps.platform.apiBase, budget, stripeAccount });
  return {
    accountId: account.stripeAccountId,
    name: account.name,
    source: 'added',
    stripe,
    budget,
    webhookSecret,
    ownerEmail,
    policy,
    policyFilePath,
    currency: account.defaultCurrency,
    config,
    sync: syncFor(deps.dataSource, stripe, account.stripeAccountId, config),
  };
}

function syncFor(dataSource: DataSource, stripe: Stripe, accountId: string, config: AppConfig): StripeSyncService {
  return new StripeSyncService(dataSource, stripe, accountId, undefined, { patience: StripeSyncService.patienceFrom(config.policy.stripe) });
}
