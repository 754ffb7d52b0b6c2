import Stripe from 'stripe';
import type { RequestBudget } from './request-budget';
import { backoffMs, retryAfterMs, RetryingHttpClient } from './retrying-http-client';

type Outcome = { status: number; headers?: Record<string, string> } | Error;

/** An HTTP client that answers from a script, so retries can be counted without a network. */
function scripted(outcomes: Outcome[]) {
  const calls: string[] = [];
  const client = {
    getClientName: () => 'scripted',
    makeRequest: async (_host: string, _port: string, path: string) => {
      calls.push(path);
      const next = outcomes.shift() ?? { status: 200 };
      if (next instanceof Error) throw next;
      return new Stripe.HttpClientResponse(next.status, next.headers ?? {});
    },
  } as unknown as Stripe.HttpClient;
  return { client, calls };
}

function recordingBudget() {
  const events: string[] = [];
  const budget: RequestBudget = {
    ratePerSecond: 10,
    acquire: async () => void events.push('acquire'),
    pauseFor: (ms) => void events.push(`pause ${ms}`),
  };
  return { budget, events };
}

const policy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000 };
const send = (http: RetryingHttpClient) => http.makeRequest('h', '80', '/v1/invoices', 'GET', {}, '', 'http', 1_000);

describe('RetryingHttpClient', () => {
  it("honours a 429's Retry-After: the whole budget pauses for it, then the request is sent again", async () => {
    const { client, calls } = scripted([{ status: 429, headers: { 'retry-after': '2' } }, { status: 200 }]);
    const { budget, events } = recordingBudget();
    const waits: number[] = [];
    const response = await send(new RetryingHttpClient(client, budget, policy, async (ms) => void waits.push(ms)));
    expect(response.getStatusCode()).toBe(200);
    expect(calls).toHaveLength(2);
    expect(waits).toEqual([2_000]);
    expect(events).toEqual(['acquire', 'pause 2000', 'acquire']);
  });

  it('retries 5xx and dropped connections with growing backoff, each attempt taking a token', async () => {
    const dropped = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const { client, calls } = scripted([{ status: 500 }, dropped, { status: 503 }, { status: 200 }]);
    const { budget, events } = recordingBudget();
    const waits: number[] = [];
    const response = await send(new RetryingHttpClient(client, budget, policy, async (ms) => void waits.push(ms)));
    expect(response.getStatusCode()).toBe(200);
    expect(calls).toHaveLength(4);
    expect(events.filter((e) => e === 'acquire')).toHaveLength(4);
    expect(waits).toHaveLength(3);
    waits.forEach((ms, retry) => {
      expect(ms).toBeGreaterThanOrEqual(Math.max(100, (100 * 2 ** retry) / 2));
      expect(ms).toBeLessThanOrEqual(100 * 2 ** retry);
    });
  });

  it('gives up after maxRetries: the last response (or error) goes to the SDK', async () => {
    const { client, calls } = scripted([{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 200 }]);
    const response = await send(new RetryingHttpClient(client, undefined, policy, async () => undefined));
    expect(response.getStatusCode()).toBe(500);
    expect(calls).toHaveLength(4);

    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const failing = scripted([refused, refused, refused, refused]);
    await expect(send(new RetryingHttpClient(failing.client, undefined, policy, async () => undefined))).rejects.toThrow('ECONNREFUSED');
    expect(failing.calls).toHaveLength(4);
  });

  it('does not retry client errors, nor what Stripe says not to retry', async () => {
    const { client, calls } = scripted([{ status: 400 }, { status: 500, headers: { 'stripe-should-retry': 'false' } }, { status: 402 }]);
    const http = new RetryingHttpClient(client, undefined, policy, async () => undefined);
    expect((await send(http)).getStatusCode()).toBe(400);
    expect((await send(http)).getStatusCode()).toBe(500);
    expect((await send(http)).getStatusCode()).toBe(402);
    expect(calls).toHaveLength(3);
  });
});

describe('retryAfterMs / backoffMs', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3_000);
    expect(retryAfterMs('0')).toBe(0);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:05 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(5_000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('doubles up to the ceiling, never below the base', () => {
    expect(backoffMs(0, policy, () => 1)).toBe(100);
    expect(backoffMs(2, policy, () => 1)).toBe(400);
    expect(backoffMs(10, policy, () => 1)).toBe(1_000);
    expect(backoffMs(0, policy, () => 0)).toBe(100);
  });
});
