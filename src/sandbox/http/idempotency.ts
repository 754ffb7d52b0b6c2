import { StripeApiError } from './stripe-error';

interface Stored {
  fingerprint: string;
  status: number;
  body: string[];
  /** When it was first answered, milliseconds on the sandbox's clock. */
  atMs: number;
}

/** Stripe keeps a key for 24 hours; after that it is a new key. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** A bound on memory whatever the clock does: the oldest keys go first. */
export const IDEMPOTENCY_MAX_KEYS = 100_000;

/**
 * Stripe's idempotency: the first response to a key is replayed for the same request; the
 * same key with different parameters is refused. Every answer of a request that began executing
 * is kept, 5xx included; the caller does not remember requests refused on their parameters.
 * Keys are forgotten 24 hours after first use on the sandbox's clock (so advancing it
 * expires them, as waiting would on Stripe).
 */
export class IdempotencyCache {
  private readonly entries = new Map<string, Stored>();

  constructor(
    private readonly nowMs: () => number = Date.now,
    private readonly ttlMs = IDEMPOTENCY_TTL_MS,
    private readonly maxKeys = IDEMPOTENCY_MAX_KEYS,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  lookup(key: string, fingerprint: string): Omit<Stored, 'atMs'> | undefined {
    this.evict();
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.fingerprint !== fingerprint) {
      throw new StripeApiError(
        400,
        'idempotency_error',
        `Keys for idempotent requests can only be used with the same parameters they were first ` +
          `used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    return hit;
  }

  remember(key: string, fingerprint: string, status: number, body: string[]): void {
    this.entries.delete(key); // re-inserted last: the map stays in order of first use
    this.entries.set(key, { fingerprint, status, body, atMs: this.nowMs() });
    this.evict();
  }

  /** Drops expired keys from the front (insertion order is time order: the sandbox clock never goes back). */
  private evict(): void {
    const cutoff = this.nowMs() - this.ttlMs;
    for (const [key, stored] of this.entries) {
      if (stored.atMs > cutoff && this.entries.size <= this.maxKeys) break;
      this.entries.delete(key);
    }
  }
}
