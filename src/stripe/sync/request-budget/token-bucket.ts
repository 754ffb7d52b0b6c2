export interface TokenBucketOptions {
  /** Sustained requests per second; Infinity for no limit. */
  ratePerSecond: number;
  /** Tokens that can pile up while idle (the largest burst); default one second's worth. */
  burst?: number;
  /** Milliseconds; injected so the arithmetic is testable without waiting. */
  now: () => number;
}

/**
 * A token bucket with reservations: `reserve()` takes a token now and says how long to
 * wait before using it, so concurrent callers queue in order instead of polling. Tokens
 * may go negative (that is the queue); a 429 empties the bucket and holds every caller
 * until Stripe's Retry-After has passed. Pure: time comes from `now`.
 */
export class TokenBucket {
  readonly ratePerSecond: number;
  private readonly burst: number;
  private readonly now: () => number;
  private tokens: number;
  /** The moment `tokens` is accounted up to; in the future while paused. */
  private at: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0)) throw new Error(`ratePerSecond must be > 0 (got ${options.ratePerSecond})`);
    this.ratePerSecond = options.ratePerSecond;
    this.burst = Math.max(1, options.burst ?? (Number.isFinite(options.ratePerSecond) ? options.ratePerSecond : 1));
    this.now = options.now;
    this.tokens = this.burst;
    this.at = this.now();
  }

  get unlimited(): boolean {
    return !Number.isFinite(this.ratePerSecond);
  }

  /** Takes one token; returns the milliseconds to wait before sending (0 = at once). */
  reserve(): number {
    const now = this.now();
    if (this.unlimited) return Math.max(0, this.at - now);
    this.refill(now);
    this.tokens -= 1;
    const debtMs = this.tokens < 0 ? (-this.tokens * 1000) / this.ratePerSecond : 0;
    return Math.max(0, this.at - now) + debtMs;
  }

  /** Nobody sends before `untilMs`, and no burst afterwards: what a 429 with Retry-After asks for. */
  pauseUntil(untilMs: number): void {
    if (this.unlimited) {
      this.at = Math.max(this.at, untilMs);
      return;
    }
    this.refill(this.now());
    // Callers already queued keep their turns; the queue drains by `freeAt`.
    const freeAt = this.at + (Math.max(0, -this.tokens) * 1000) / this.ratePerSecond;
    this.tokens = 0;
    this.at = Math.max(untilMs, freeAt);
  }

  private refill(now: number): void {
    if (now <= this.at) return;
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.ratePerSecond) / 1000);
    this.at = now;
  }
}
