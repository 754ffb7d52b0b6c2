import { StripeApiError } from './stripe-error';

interface Stored {
  fingerprint: string;
  status: number;
  body: string[];
}

/**
 * Stripe's idempotency: the first response to a key is replayed for the same request; the
 * same key with different parameters is refused. 5xx answers are not kept (retry may succeed).
 */
export class IdempotencyCache {
  private readonly entries = new Map<string, Stored>();

  lookup(key: string, fingerprint: string): Stored | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.fingerprint !== fingerprint) {
      throw new StripeApiError(
        400,
        'idempotency_error',
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    return hit;
  }

  remember(key: string, fingerprint: string, status: number, body: string[]): void {
    if (status >= 500) return;
    this.entries.set(key, { fingerprint, status, body });
  }
}
