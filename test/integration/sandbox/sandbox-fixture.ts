import type Stripe from 'stripe';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { eventually } from '../../support/eventually';

/** A sandbox on a free port and the official client pointed at it. */
export async function openSandbox(options: SandboxOptions = {}, retries = 0): Promise<{ sandbox: RunningSandbox; stripe: Stripe }> {
  const sandbox = await startSandbox({ port: 0, seed: 'empty', ...options });
  const stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url, maxNetworkRetries: retries });
  return { sandbox, stripe };
}

/** Test clocks advance in the background, as on Stripe: poll until ready. */
export async function advanceClock(stripe: Stripe, clockId: string, frozenTime: number): Promise<Stripe.TestHelpers.TestClock> {
  const clock = await stripe.testHelpers.testClocks.advance(clockId, { frozen_time: frozenTime });
  if (clock.status === 'ready') return clock;
  // Fails the test (naming the clock) rather than handing back a clock that is still advancing.
  return eventually(
    () => stripe.testHelpers.testClocks.retrieve(clockId),
    (c) => c.status === 'ready',
    `test clock ${clockId} to be ready`,
  );
}

export const DAY = 86_400;
