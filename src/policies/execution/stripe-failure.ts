/**
 * Whether a failed Stripe call may succeed if simply tried again later (rate limit, Stripe
 * down, network): such an action stays approved and the next run retries it with the same
 * idempotency keys. Anything else (an invalid request, a deleted customer) fails the action.
 */
export function isTransientStripeFailure(error: unknown): boolean {
  const e = error as { type?: string; statusCode?: number; code?: string };
  if (e?.type === 'StripeRateLimitError' || e?.type === 'StripeAPIError' || e?.type === 'StripeConnectionError') return true;
  if (e?.type === 'StripeIdempotencyError' && e.statusCode === 409) return true; // the same key is still in flight elsewhere
  return typeof e?.statusCode === 'number' && (e.statusCode === 429 || e.statusCode >= 500);
}

export function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
