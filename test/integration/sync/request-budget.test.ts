import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { openStripeConnection } from '../../../src/stripe/stripe-connection';
import { createRequestBudget, type RequestBudget } from '../../../src/stripe/sync/request-budget/request-budget';
import { testConfig } from '../../support/test-config';

/** A real budget that also records what passed through it. */
function recording(inner: RequestBudget) {
  const seen = { acquired: 0, pauses: [] as number[] };
  const budget: RequestBudget = {
    ratePerSecond: inner.ratePerSecond,
    acquire: () => {
      seen.acquired += 1;
      return inner.acquire();
    },
    pauseFor: (ms) => {
      seen.pauses.push(ms);
      inner.pauseFor(ms);
    },
  };
  return { budget, seen };
}

describe('the request budget against the sandbox', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 'empty', randomSeed: 11 });
  });
  afterAll(() => sandbox.stop());

  it("honours a 429's Retry-After for the whole budget, and every attempt takes a token", async () => {
    const { budget, seen } = recording(createRequestBudget(Infinity));
    const stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url, maxNetworkRetries: 10, budget });
    sandbox.setFaults({ rate429: 0.4, retryAfterSeconds: 1 });
    try {
      for (let i = 0; i < 5; i += 1) await expect(stripe.customers.list({ limit: 1 })).resolves.toMatchObject({ object: 'list' });
    } finally {
      sandbox.setFaults({});
    }
    expect(seen.pauses.length).toBeGreaterThan(0);
    expect(seen.pauses.every((ms) => ms === 1_000)).toBe(true);
    expect(seen.acquired).toBe(5 + seen.pauses.length);
  }, 30_000);

  it('retries 5xx and dropped connections in our layer: the SDK reports no error', async () => {
    const { budget, seen } = recording(createRequestBudget(Infinity));
    const stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url, maxNetworkRetries: 10, budget });
    sandbox.setFaults({ rate500: 0.3, rateDrop: 0.2 });
    try {
      for (let i = 0; i < 8; i += 1) await expect(stripe.customers.list({ limit: 1 })).resolves.toMatchObject({ object: 'list' });
    } finally {
      sandbox.setFaults({});
    }
    expect(seen.acquired).toBeGreaterThan(8);
    expect(seen.pauses).toEqual([]); // only 429s hold everyone
  }, 30_000);

  it('gives the built-in sandbox the test allowance, a live key the live one, and lets benchmarks override it', async () => {
    const embedded = await openStripeConnection(testConfig(), { seed: 'empty' });
    const fast = await openStripeConnection(testConfig(), { seed: 'empty', requestsPerSecond: Infinity });
    try {
      expect(embedded.budget.ratePerSecond).toBe(20);
      expect(fast.budget.ratePerSecond).toBe(Infinity);
    } finally {
      await embedded.close();
      await fast.close();
    }
    const test = await openStripeConnection(testConfig({ STRIPE_SECRET_KEY: 'sk_test_payrisk0000', STRIPE_API_BASE: sandbox.url }));
    expect(test.budget.ratePerSecond).toBe(20);
    await test.close();
    // A live key gets the live allowance (request-budget.spec.ts); one Stripe refuses stops start-up with Stripe's reason,
    // instead of filing the ledger under an invented account.
    await expect(openStripeConnection(testConfig({ STRIPE_SECRET_KEY: 'sk_live_payrisk0000', STRIPE_API_BASE: sandbox.url }))).rejects.toThrow(
      /Stripe did not answer who this key belongs to \(GET \/v1\/account\): Invalid API Key provided/,
    );
  }, 30_000);
});
