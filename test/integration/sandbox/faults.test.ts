import type { RunningSandbox } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { openSandbox } from './sandbox-fixture';

describe('sandbox: faults on demand', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    ({ sandbox } = await openSandbox({ randomSeed: 7 }));
  });
  afterAll(() => sandbox.stop());

  const client = (retries: number) => createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url, maxNetworkRetries: retries, timeoutMs: 5_000 });

  it('answers 429 with Retry-After when every request is rate limited', async () => {
    sandbox.setFaults({ rate429: 1, retryAfterSeconds: 0 });
    await expect(client(0).customers.list()).rejects.toMatchObject({ statusCode: 429, code: 'rate_limit', type: 'StripeRateLimitError' });
    await expect(client(2).customers.list()).rejects.toMatchObject({ statusCode: 429 });
  });

  it('answers 500 with an api_error envelope', async () => {
    sandbox.setFaults({ rate500: 1 });
    await expect(client(0).customers.list()).rejects.toMatchObject({ statusCode: 500, type: 'StripeAPIError' });
  });

  it('drops the connection', async () => {
    sandbox.setFaults({ rateDrop: 1 });
    await expect(client(0).customers.list()).rejects.toMatchObject({ type: 'StripeConnectionError' });
  });

  it('lets a client with retries succeed under moderate fault rates, without duplicating writes', async () => {
    sandbox.setFaults({ rate429: 0.15, rate500: 0.1, rateDrop: 0.05, retryAfterSeconds: 0 });
    const stripe = client(8);
    const created: string[] = [];
    for (let i = 0; i < 15; i += 1) created.push((await stripe.customers.create({ name: `Retry ${i}` })).id);
    sandbox.setFaults({});
    const listed = await stripe.customers.list({ limit: 100 });
    expect(listed.data.filter((c) => c.name?.startsWith('Retry '))).toHaveLength(15);
    expect(new Set(created).size).toBe(15);
  });

  it('takes faults through the control endpoint', async () => {
    const response = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ rate500: 1 }) });
    expect(response.status).toBe(200);
    await expect(client(0).customers.list()).rejects.toMatchObject({ statusCode: 500 });
    await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', body: '{}' });
    await expect(client(0).customers.list()).resolves.toMatchObject({ object: 'list' });
  });
});
