import Stripe from 'stripe';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { eventually } from '../../support/eventually';

const DAY = 86_400;

describe('sandbox: advancing the clock a long way', () => {
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  const control = (path: string, body?: unknown) =>
    fetch(
      `${sandbox.url}/_sandbox/${path}`,
      body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
    );
  const sandboxNow = async () => ((await (await control('clock')).json()) as { now: number }).now;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 'demo' });
    stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url });
  }, 60_000);
  afterAll(() => sandbox.stop());

  it('keeps answering other requests while it advances (a day at a time)', async () => {
    const start = await sandboxNow();
    let finished = false;
    const advance = control('clock/advance', { seconds: 700 * DAY }).then(async (response) => {
      finished = true;
      return response;
    });
    // The clock is seen moving mid-advance: the process answers between the days it processes.
    const midway = await eventually(sandboxNow, (now) => now > start + DAY, 'the sandbox clock to be seen moving during the advance');
    expect(midway).toBeLessThan(start + 700 * DAY);
    const customers = await stripe.customers.list({ limit: 3 });
    expect(customers.data).toHaveLength(3);
    expect(finished).toBe(false);
    const response = await advance;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { now: number }).now).toBeGreaterThanOrEqual(start + 700 * DAY);
  }, 120_000);

  it('refuses more than 2 years per call, Stripe-shaped, in the JS API, the control endpoint and test clocks', async () => {
    const before = await sandboxNow();
    await expect(sandbox.advanceTime(999_999 * 7 * DAY)).rejects.toMatchObject({
      status: 400,
      param: 'seconds',
      message: expect.stringMatching(/more than 2 years/),
    });
    const refused = await control('clock/advance', { seconds: 3 * 365 * DAY });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: { type: 'invalid_request_error', code: 'parameter_invalid_integer', param: 'seconds', message: expect.stringMatching(/more than 2 years/) },
    });
    expect(await sandboxNow()).toBeLessThan(before + DAY);

    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: before });
    await expect(stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: before + 999_999 * 7 * DAY })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      param: 'frozen_time',
      message: expect.stringMatching(/more than 2 years/),
    });
    expect((await stripe.testHelpers.testClocks.retrieve(clock.id)).status).toBe('ready');
  });

  it('stops promptly when the sandbox stops mid-advance, at the day it reached', async () => {
    const other = await startSandbox({ port: 0, seed: 'demo' });
    const start = Math.floor(other.now().getTime() / 1000);
    const advance = other.advanceTime(700 * DAY);
    try {
      await eventually(
        async () => Math.floor(other.now().getTime() / 1000),
        (now) => now > start + DAY,
        'the advance to get under way',
      );
    } finally {
      await other.stop();
    }
    await advance;
    const reached = Math.floor(other.now().getTime() / 1000);
    expect(reached).toBeGreaterThan(start);
    expect(reached).toBeLessThan(start + 700 * DAY);
  }, 120_000);
});
