import Stripe from 'stripe';
import { STRIPE_API_VERSION } from './stripe-api-version';
import type { RequestBudget } from './sync/request-budget/request-budget';
import { DEFAULT_RETRY_POLICY, RetryingHttpClient } from './sync/request-budget/retrying-http-client';

export interface StripeClientOptions {
  secretKey: string;
  /** e.g. http://127.0.0.1:12111 for the sandbox; omitted for api.stripe.com. */
  apiBase?: string;
  /** Retries on 429 (honouring Retry-After), 409, 5xx and dropped connections, with exponential backoff. Default 5. */
  maxNetworkRetries?: number;
  timeoutMs?: number;
  /** The request budget every request (retries included) draws from; none = unlimited. */
  budget?: RequestBudget;
  /** Connect: every request acts for this connected account (`Stripe-Account` header) with the platform's key. */
  stripeAccount?: string;
}

/**
 * The official client, pinned to our API version, pointed at Stripe or the sandbox. Retries
 * happen in our HTTP layer (RetryingHttpClient), not in the SDK's, so each attempt passes
 * the shared request budget and a 429's Retry-After holds every request.
 */
export function createStripeClient(options: StripeClientOptions): Stripe {
  const base = options.apiBase ? new URL(options.apiBase) : undefined;
  const retry = { ...DEFAULT_RETRY_POLICY, maxRetries: options.maxNetworkRetries ?? DEFAULT_RETRY_POLICY.maxRetries };
  return new Stripe(options.secretKey, {
    apiVersion: STRIPE_API_VERSION as Stripe.LatestApiVersion,
    maxNetworkRetries: 0,
    httpClient: new RetryingHttpClient(Stripe.createNodeHttpClient(), options.budget, retry),
    timeout: options.timeoutMs ?? 30_000,
    appInfo: { name: 'payrisk', version: '0.1.0' },
    ...(options.stripeAccount ? { stripeAccount: options.stripeAccount } : {}),
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol.replace(':', '') as 'http' | 'https',
        }
      : {}),
  });
}
