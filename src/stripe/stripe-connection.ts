import { join } from 'node:path';
import type Stripe from 'stripe';
import type { AppConfig } from '../config';
import type { RunningSandbox } from '../sandbox';
import { createStripeClient } from './stripe-client.factory';
import { Logger } from '@nestjs/common';
import { createRequestBudget, requestsPerSecondFor, type RequestBudget } from './sync/request-budget/request-budget';
import { StripePatience, StripeUnreachableError } from './sync/request-budget/stripe-patience';

export interface StripeConnection {
  stripe: Stripe;
  accountId: string;
  /** The key `stripe` uses (STRIPE_SECRET_KEY or the sandbox's): a Connect platform's key acts for its connected accounts. */
  secretKey?: string;
  /** STRIPE_API_BASE or the sandbox's URL; undefined for api.stripe.com. */
  apiBase?: string;
  /** What Stripe says of the account (`GET /v1/account`), when it said: its name and default currency. */
  displayName?: string;
  defaultCurrency?: string;
  /** The secret webhooks are verified with: STRIPE_WEBHOOK_SECRET, or the in-process sandbox's. */
  webhookSecret?: string;
  /** Set when payrisk started its own sandbox (no STRIPE_SECRET_KEY). */
  sandbox?: RunningSandbox;
  /** The process-wide allowance every request through `stripe` draws from. */
  budget: RequestBudget;
  close(): Promise<void>;
}

export interface ConnectionOptions {
  seed?: 'demo' | 'empty';
  /** The built-in sandbox delivers its signed webhooks here (the running server's endpoint). */
  webhookUrl?: string;
  /**
   * Overrides `stripe.requestsPerSecondLive|Test` from the policy file (benchmarks let the
   * in-process sandbox go as fast as it can with `Infinity`). Never needed against Stripe.
   */
  requestsPerSecond?: number;
  /** The built-in sandbox keeps its state under `<home>/sandbox` and continues it at the next start. */
  persistSandbox?: boolean;
  /** Demo businesses of the built-in sandbox, each its own account (default 1); the others are added at boot (src/demo). */
  businesses?: number;
}

/**
 * Which Stripe payrisk talks to: the configured account (STRIPE_SECRET_KEY, optionally at
 * STRIPE_API_BASE), or, on the embedded defaults, an in-process sandbox seeded with the
 * demo business. Either way through the official client over HTTP, under one request
 * budget: the live or test allowance by the key's prefix (the sandbox counts as test).
 */
export async function openStripeConnection(config: AppConfig, options: ConnectionOptions = {}): Promise<StripeConnection> {
  const rateFor = (secretKey: string) => options.requestsPerSecond ?? requestsPerSecondFor(secretKey, config.policy.stripe);
  if (config.stripe.secretKey) {
    const budget = createRequestBudget(rateFor(config.stripe.secretKey));
    const stripe = createStripeClient({ secretKey: config.stripe.secretKey, apiBase: config.stripe.apiBase, budget });
    // Stripe briefly down at start-up is waited out like during a sync (stripe.unreachableAfterSeconds).
    const patience = new StripePatience(
      { unreachableAfterMs: config.policy.stripe.unreachableAfterSeconds * 1000, maxDelayMs: config.policy.stripe.retryMaxDelaySeconds * 1000 },
      (line) => new Logger('StripeConnection').warn(line),
    );
    const account = await currentAccount(stripe, patience);
    return {
      stripe,
      ...account,
      secretKey: config.stripe.secretKey,
      apiBase: config.stripe.apiBase,
      webhookSecret: config.stripe.webhookSecret,
      budget,
      close: async () => undefined,
    };
  }
  // Loaded only here, when the built-in sandbox runs: production processes never load the emulator.
  const { startSandbox } = await import('../sandbox');
  const sandbox = await startSandbox({
    port: 0,
    seed: options.seed ?? 'demo',
    webhookUrl: options.webhookUrl,
    webhookSecret: config.stripe.webhookSecret,
    stateDir: options.persistSandbox ? sandboxStateDir(config.homeDir) : undefined,
    accounts: options.businesses ?? 1,
    webhookUrlPerAccount: true,
  });
  const budget = createRequestBudget(rateFor(sandbox.secretKey));
  const stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url, budget });
  return {
    stripe,
    accountId: sandbox.accountId,
    secretKey: sandbox.secretKey,
    apiBase: sandbox.url,
    displayName: 'the demo business',
    webhookSecret: config.stripe.webhookSecret ?? sandbox.webhookSecret,
    sandbox,
    budget,
    close: () => sandbox.stop(),
  };
}

/** Where the built-in sandbox of `payrisk start` keeps its state. */
export function sandboxStateDir(homeDir: string): string {
  return join(homeDir, 'sandbox');
}

/**
 * Every ledger row carries the account id, so it must be the real one. A restricted key
 * without the account permission cannot read it: then the ledger is filed under `acct_default`; any other failure (bad
 * key, Stripe down after retries) stops start-up
 * with Stripe's message instead of filing data under an invented account.
 */
async function currentAccount(stripe: Stripe, patience: StripePatience): Promise<Pick<StripeConnection, 'accountId' | 'displayName' | 'defaultCurrency'>> {
  try {
    const account = await patience.run('GET /v1/account', () => stripe.accounts.retrieveCurrent());
    return {
      accountId: account.id,
      displayName: account.settings?.dashboard?.display_name ?? account.business_profile?.name ?? undefined,
      defaultCurrency: account.default_currency ?? undefined,
    };
  } catch (error) {
    if (error instanceof StripeUnreachableError) throw error; // says what to do already
    const e = error as { type?: string; statusCode?: number; message?: string };
    if (e.type === 'StripePermissionError' || e.statusCode === 403) return { accountId: 'acct_default' };
    throw new Error(
      `Stripe did not answer who this key belongs to (GET /v1/account): ${e.message ?? String(error)}. Check STRIPE_SECRET_KEY and STRIPE_API_BASE.`,
      { cause: error },
    );
  }
}
