import type Stripe from 'stripe';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';

/** A sandbox on a free port and the official client pointed at it. */
export async function openSandbox(options: SandboxOptions = {}, retries = 0): Promise<{ sandbox: RunningSandbox; stripe: Stripe }> {
  const sandbox = await startSandbox({ port: 0, seed: 'empty', ...options });
  const stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url, maxNetworkRetries: retries });
  return { sandbox, stripe };
}

/** Test clocks advance in the background, as on Stripe: poll until ready. */
export async function advanceClock(stripe: Stripe, clockId: string, frozenTime: number): Promise<Stripe.TestHelpers.TestClock> {
  let clock = await stripe.testHelpers.testClocks.advance(clockId, { frozen_time: frozenTime });
  for (let i = 0; i < 200 && clock.status !== 'ready'; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    clock = await stripe.testHelpers.testClocks.retrieve(clockId);
  }
  return clock;
}

export const DAY = 86_400;
