import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '../../../common/errors/domain-error';

export interface PatienceOptions {
  /** Give up once no request has succeeded for this long (default 5 minutes). */
  unreachableAfterMs?: number;
  /** First wait after a request exhausted the client's retries; doubles per failure (default 1 s). */
  baseDelayMs?: number;
  /** Longest wait between two tries (default 30 s). */
  maxDelayMs?: number;
}

export const DEFAULT_PATIENCE = { unreachableAfterMs: 5 * 60_000, baseDelayMs: 1_000, maxDelayMs: 30_000 } as const;

/** Stripe answered nothing useful for longer than the limit: the sync stops (and resumes from its checkpoints next time). */
export class StripeUnreachableError extends DomainError {
  constructor(downForMs: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'upstream_unavailable',
      `Stripe has been unreachable for ${Math.round(downForMs / 1000)} s (last error: ${reason}). ` +
        'Check the network, STRIPE_API_BASE and https://status.stripe.com, then run `payrisk sync` again: it resumes from its checkpoints.',
      { downForMs },
    );
    this.name = 'StripeUnreachableError';
  }
}

/** Failures worth waiting out: the connection, 429, 409, 5xx (after the HTTP layer's own retries). */
export function isTransient(error: unknown): boolean {
  const e = error as { type?: string; statusCode?: number } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.type === 'StripeConnectionError' || e.type === 'StripeRateLimitError' || e.type === 'StripeAPIError') return true;
  return e.statusCode === 429 || e.statusCode === 409 || (e.statusCode !== undefined && e.statusCode >= 500);
}

/**
 * Waits out Stripe outages for one sync run. A request that exhausted the HTTP layer's
 * retries is tried again after a longer wait (doubling up to `maxDelayMs`, with a log line
 * saying so) instead of failing the run; every success, from any range, resets the clock.
 * Only when nothing has succeeded for `unreachableAfterMs` does it throw StripeUnreachableError.
 */
export class StripePatience {
  private readonly options: Required<PatienceOptions>;
  private lastSuccess: number;

  constructor(
    options: PatienceOptions,
    private readonly log: (message: string) => void,
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<unknown> = (ms) => sleep(ms),
  ) {
    this.options = { ...DEFAULT_PATIENCE, ...options };
    this.lastSuccess = now();
  }

  async run<T>(what: string, request: () => Promise<T>): Promise<T> {
    for (let failures = 0; ; failures += 1) {
      try {
        const result = await request();
        this.lastSuccess = Math.max(this.lastSuccess, this.now());
        return result;
      } catch (error) {
        if (!isTransient(error)) throw error;
        const downFor = this.now() - this.lastSuccess;
        const left = this.options.unreachableAfterMs - downFor;
        if (left <= 0) throw new StripeUnreachableError(downFor, error);
        const delay = Math.min(left, this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.min(failures, 20));
        this.log(
          `${what}: Stripe still failing after retries (${error instanceof Error ? error.message : String(error)}); ` +
            `waiting ${(delay / 1000).toFixed(1)} s, then going on ` +
            `(no successful request for ${Math.round(downFor / 1000)} s; stopping after ${Math.round(this.options.unreachableAfterMs / 1000)} s)`,
        );
        await this.wait(delay);
      }
    }
  }
}
