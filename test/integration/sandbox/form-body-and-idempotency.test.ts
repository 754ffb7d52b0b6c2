import { request as httpRequest } from 'node:http';
import type Stripe from 'stripe';
import type { RunningSandbox } from '../../../src/sandbox';
import { openSandbox } from './sandbox-fixture';

const HOUR = 3600;

describe('sandbox HTTP: form parsing, body size, idempotency keys', () => {
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  const post = (path: string, body: string) =>
    fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sandbox.secretKey}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });

  beforeAll(async () => ({ sandbox, stripe } = await openSandbox()), 60_000);
  afterAll(() => sandbox.stop());

  it('a __proto__ / constructor.prototype key pollutes nothing in the process', async () => {
    const response = await post('/v1/customers', '__proto__[polluted]=1&constructor[prototype][polluted2]=1&metadata[__proto__][polluted3]=1&name=Innocent');
    expect(response.status).toBe(200);
    const customer = (await response.json()) as Stripe.Customer;
    expect(customer.name).toBe('Innocent');
    const empty: Record<string, unknown> = {};
    expect(empty.polluted).toBeUndefined();
    expect(empty.polluted2).toBeUndefined();
    expect(empty.polluted3).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });

  it('refuses nesting, parameter counts and arrays past their bounds with a Stripe-shaped 400', async () => {
    const deep = await post('/v1/customers', `metadata${'[a]'.repeat(20)}=1`);
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as { error: { type: string; message: string } }).error).toMatchObject({
      type: 'invalid_request_error',
      message: expect.stringMatching(/depth/),
    });
    const many = await post('/v1/customers', Array.from({ length: 2000 }, (_, i) => `metadata[k${i}]=v`).join('&'));
    expect(many.status).toBe(400);
    expect(((await many.json()) as { error: { message: string } }).error.message).toMatch(/Parameter limit/);
  });

  it('refuses an oversized body with 413, whether its length is declared or streamed', async () => {
    const big = `name=${'x'.repeat(2 * 1024 * 1024)}`;
    const declared = await post('/v1/customers', big);
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { type: string; code: string } }).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'request_too_large',
    });

    const url = new URL(sandbox.url);
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: '/v1/customers',
          method: 'POST',
          headers: { Authorization: `Bearer ${sandbox.secretKey}`, 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked' },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write('name=');
      const chunk = 'y'.repeat(64 * 1024);
      for (let i = 0; i < 24; i += 1) req.write(chunk);
      req.end();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error.code).toBe('request_too_large');
    // The sandbox is still fine afterwards.
    expect((await stripe.customers.list({ limit: 1 })).object).toBe('list');
  });

  it('keeps an idempotency key 24 hours on the sandbox clock, then forgets it', async () => {
    const first = await stripe.customers.create({ name: 'Keyed' }, { idempotencyKey: 'key-24h' });
    expect((await stripe.customers.create({ name: 'Keyed' }, { idempotencyKey: 'key-24h' })).id).toBe(first.id);
    await expect(stripe.customers.create({ name: 'Different' }, { idempotencyKey: 'key-24h' })).rejects.toMatchObject({ type: 'StripeIdempotencyError' });
    await sandbox.advanceTime(23 * HOUR);
    await expect(stripe.customers.create({ name: 'Different' }, { idempotencyKey: 'key-24h' })).rejects.toMatchObject({ type: 'StripeIdempotencyError' });
    await sandbox.advanceTime(HOUR + 60);
    const fresh = await stripe.customers.create({ name: 'Different' }, { idempotencyKey: 'key-24h' });
    expect(fresh.id).not.toBe(first.id);
    expect(fresh.name).toBe('Different');
  });
});
