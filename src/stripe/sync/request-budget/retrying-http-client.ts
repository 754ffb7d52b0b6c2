import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';
import type { RequestBudget } from './request-budget';

type HttpClient = Stripe.HttpClient;
type HttpClientResponse = Stripe.HttpClientResponse;

export interface RetryPolicy {
  /** Retries after the first attempt (429, 409, 5xx, dropped or timed-out connections). */
  maxRetries: number;
  /** First backoff; doubles per retry, with jitter, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, baseDelayMs: 300, maxDelayMs: 5_000 };

/** Retry-After in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffMs(retry: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.max(policy.baseDelayMs, ceiling * (0.5 + 0.5 * random()));
}

/** Whether a response is worth sending again, the way Stripe documents it. */
function retryable(response: HttpClientResponse): boolean {
  const advice = response.getHeaders()['stripe-should-retry'];
  if (advice === 'false') return false;
  if (advice === 'true') return true;
  const status = response.getStatusCode();
  return status === 429 || status === 409 || status >= 500;
}

/**
 * The official client's HTTP layer with two things added: every attempt (retries
 * included) first takes a token from the shared request budget, and failures are retried
 * here rather than by the SDK, so that a 429's Retry-After is honoured (the SDK ignores
 * it) and holds the whole budget, not just one request. POSTs are safe to resend: the SDK
 * puts an idempotency key on every one.
 */
export class RetryingHttpClient extends Stripe.HttpClient {
  constructor(
    private readonly inner: HttpClient,
    private readonly budget: RequestBudget | undefined,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly wait: (ms: number) => Promise<unknown> = (ms) => sleep(ms),
  ) {
    super();
  }

  override getClientName(): string {
    return `${this.inner.getClientName()}+budget`;
  }

  override async makeRequest(
    host: string,
    port: string,
    path: string,
    method: string,
    headers: Parameters<HttpClient['makeRequest']>[4],
    requestData: string,
    protocol: string,
    timeout: number,
  ): Promise<HttpClientResponse> {
    for (let retry = 0; ; retry += 1) {
      await this.budget?.acquire();
      let response: HttpClientResponse;
      try {
        response = await this.inner.makeRequest(host, port, path, method, headers, requestData, protocol, timeout);
      } catch (error) {
        // Dropped connection, refused connection, timeout: the request may not have arrived.
        if (retry >= this.policy.maxRetries || error instanceof Stripe.errors.StripeError) throw error;
        await this.wait(backoffMs(retry, this.policy));
        continue;
      }
      if (retry >= this.policy.maxRetries || !retryable(response)) return response;
      discard(response);
      if (response.getStatusCode() === 429) {
        const after = retryAfterMs(response.getHeaders()['retry-after']) ?? backoffMs(retry, this.policy);
        this.budget?.pauseFor(after);
        await this.wait(after);
      } else {
        await this.wait(backoffMs(retry, this.policy));
      }
    }
  }
}

/** Reads and drops a body we will not use, so the keep-alive socket goes back to the pool. */
function discard(response: HttpClientResponse): void {
  if (response.dispose) {
    response.dispose();
    return;
  }
  try {
    void Promise.resolve(response.toJSON()).catch(() => undefined);
  } catch {
    // A response without a body to read.
  }
}
