import type Stripe from 'stripe';
import type { AppConfig } from '../config';
import { startSandbox } from '../sandbox';
import type { RunningSandbox } from '../sandbox';
import { createStripeClient } from './stripe-client.factory';

export interface StripeConnection {
  stripe: Stripe;
  accountId: string;
  /** The secret webhooks are verified with: STRIPE_WEBHOOK_SECRET, or the in-process sandbox's. */
  webhookSecret?: string;
  /** Set when payrisk started its own sandbox (no STRIPE_SECRET_KEY). */
  sandbox?: RunningSandbox;
  close(): Promise<void>;
}

/**
 * Which Stripe payrisk talks to: the configured account (STRIPE_SECRET_KEY, optionally at
 * STRIPE_API_BASE), or, on the embedded defaults, an in-process sandbox seeded with the
 * demo business. Either way through the official client over HTTP.
 */
export async function openStripeConnection(config: AppConfig, sandboxOptions: { seed?: 'demo' | 'empty' } = {}): Promise<StripeConnection> {
  if (config.stripe.secretKey) {
    const stripe = createStripeClient({ secretKey: config.stripe.secretKey, apiBase: config.stripe.apiBase });
    const accountId = await stripe.accounts
      .retrieveCurrent()
      .then((account) => account.id)
      .catch(() => 'acct_default');
    return { stripe, accountId, webhookSecret: config.stripe.webhookSecret, close: async () => undefined };
  }
  const sandbox = await startSandbox({ port: 0, seed: sandboxOptions.seed ?? 'demo' });
  const stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url });
  return { stripe, accountId: sandbox.accountId, webhookSecret: config.stripe.webhookSecret ?? sandbox.webhookSecret, sandbox, close: () => sandbox.stop() };
}
