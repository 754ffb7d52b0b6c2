import Stripe from 'stripe';
import { STRIPE_API_VERSION } from './stripe-api-version';

export interface StripeClientOptions {
  secretKey: string;
  /** e.g. http://127.0.0.1:12111 for the sandbox; omitted for api.stripe.com. */
  apiBase?: string;
  /** Retries on 429 (honouring Retry-After), 5xx and dropped connections, with exponential backoff. */
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

/** The official client, pinned to our API version, pointed at Stripe or the sandbox. */
export function createStripeClient(options: StripeClientOptions): Stripe {
  const base = options.apiBase ? new URL(options.apiBase) : undefined;
  return new Stripe(options.secretKey, {
    apiVersion: STRIPE_API_VERSION as Stripe.LatestApiVersion,
    maxNetworkRetries: options.maxNetworkRetries ?? 5,
    timeout: options.timeoutMs ?? 30_000,
    appInfo: { name: 'payrisk', version: '0.1.0' },
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol.replace(':', '') as 'http' | 'https',
        }
      : {}),
  });
}
