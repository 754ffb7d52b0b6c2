import { setTimeout as sleep } from 'node:timers/promises';
import { TokenBucket } from './token-bucket';

/** The one allowance every Stripe request of a process draws from. */
export interface RequestBudget {
  readonly ratePerSecond: number;
  /** Resolves when this request may be sent. */
  acquire(): Promise<void>;
  /** Holds every request for `ms` (a 429's Retry-After). */
  pauseFor(ms: number): void;
}

export function createRequestBudget(ratePerSecond: number, options: { burst?: number; now?: () => number } = {}): RequestBudget {
  const bucket = new TokenBucket({ ratePerSecond, burst: options.burst, now: options.now ?? Date.now });
  return {
    ratePerSecond,
    acquire() {
      const wait = bucket.reserve();
      return wait > 0 ? sleep(wait) : Promise.resolve();
    },
    pauseFor(ms) {
      bucket.pauseUntil(Date.now() + ms);
    },
  };
}

export interface RequestRateLimits {
  requestsPerSecondLive: number;
  requestsPerSecondTest: number;
}

/** Live keys (`sk_live_…`, `rk_live_…`) get the live allowance; test keys and the sandbox the test one. */
export function requestsPerSecondFor(secretKey: string, limits: RequestRateLimits): number {
  return /^(sk|rk)_live_/.test(secretKey) ? limits.requestsPerSecondLive : limits.requestsPerSecondTest;
}
