import type { ModuleRef } from '@nestjs/core';
import type { StripeConnection } from '../../stripe/stripe-connection';
import { STRIPE_CONNECTION } from '../../stripe/stripe.tokens';

/**
 * The account this server works for today: the one of STRIPE_SECRET_KEY (or the built-in
 * sandbox), read from Stripe at boot. Every entry point of the server (HTTP, webhooks, cron
 * ticks, the pipeline) runs its work in this account's scope (`runForAccount`).
 * TODO(accountrt): with several accounts a request, a webhook and a job say which one.
 */
export function instanceAccountId(moduleRef: ModuleRef): string {
  return moduleRef.get<StripeConnection>(STRIPE_CONNECTION, { strict: false }).accountId;
}
