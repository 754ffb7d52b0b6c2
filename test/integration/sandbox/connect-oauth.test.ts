import Stripe from 'stripe';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';

const clientFor = (sandbox: RunningSandbox, secretKey: string) => createStripeClient({ secretKey, apiBase: sandbox.url, maxNetworkRetries: 0 });
const REDIRECT = 'https://payrisk.example.com/connect/callback';

/** Follows the sandbox's authorize URL once (no browser): where it redirects to. */
async function authorize(sandbox: RunningSandbox, params: Record<string, string>): Promise<{ status: number; location?: URL; text: string }> {
  const url = new URL('/oauth/authorize', sandbox.url);
  for (const [key, value] of Object.entries({ response_type: 'code', client_id: 'ca_sandboxplatform', scope: 'read_write', redirect_uri: REDIRECT, ...params }))
    url.searchParams.set(key, value);
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  return { status: response.status, location: location ? new URL(location) : undefined, text: await response.text() };
}

describe("the sandbox plays Connect's OAuth (Standard accounts) and stamps connected accounts' events", () => {
  let sandbox: RunningSandbox;
  let platform: Stripe;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 3, invoicesPerClient: 2, accounts: 3, now: new Date('2026-11-20T12:00:00Z') });
    platform = clientFor(sandbox, sandbox.secretKey);
  }, 30_000);
  afterAll(() => sandbox.stop());

  it('authorize redirects back with a code and the state; the official client exchanges it (oauth.token) for the account', async () => {
    const [, second, third] = sandbox.accounts;
    const back = await authorize(sandbox, { state: 'st_1' });
    expect(back.status).toBe(302);
    expect(back.location?.origin + back.location!.pathname).toBe(REDIRECT);
    expect(back.location?.searchParams.get('state')).toBe('st_1');
    expect(back.location?.searchParams.get('scope')).toBe('read_write');
    const code = back.location!.searchParams.get('code')!;
    expect(code).toMatch(/^ac_/);

    // The client sends OAuth to connect.stripe.com unless a host is set: here the sandbox's.
    const seen: string[] = [];
    platform.on('request', (event: { path: string }) => seen.push(event.path));
    const token = await platform.oauth.token({ grant_type: 'authorization_code', code });
    expect(seen).toContain('/oauth/token');
    expect(token).toMatchObject({ stripe_user_id: second.accountId, livemode: false, scope: 'read_write', token_type: 'bearer' });

    // stripe_user_id picks another connected account.
    const other = await authorize(sandbox, { state: 'st_2', stripe_user_id: third.accountId });
    const otherToken = await platform.oauth.token({ grant_type: 'authorization_code', code: other.location!.searchParams.get('code')! });
    expect(otherToken.stripe_user_id).toBe(third.accountId);
  });

  it('a code works once; unknown codes and other keys are refused with OAuth errors the client types', async () => {
    const back = await authorize(sandbox, { state: 'st_3' });
    const code = back.location!.searchParams.get('code')!;
    // A connected account's own key is not the platform's.
    await expect(clientFor(sandbox, sandbox.accounts[1].secretKey).oauth.token({ grant_type: 'authorization_code', code })).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidClientError,
    );
    await platform.oauth.token({ grant_type: 'authorization_code', code });
    const again = platform.oauth.token({ grant_type: 'authorization_code', code });
    await expect(again).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidGrantError);
    await expect(again).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining('Authorization code does not exist') });
    await expect(platform.oauth.token({ grant_type: 'authorization_code', code: 'ac_forged' })).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidGrantError);
  });

  it('decision=deny redirects with error=access_denied and the state, as when the user declines', async () => {
    const back = await authorize(sandbox, { state: 'st_4', decision: 'deny' });
    expect(back.status).toBe(302);
    expect(Object.fromEntries(back.location!.searchParams)).toEqual({
      error: 'access_denied',
      error_description: 'The user denied your request',
      state: 'st_4',
    });
  });

  it('answers 400 for a bad authorize request instead of redirecting', async () => {
    expect((await authorize(sandbox, { redirect_uri: 'not a url' })).status).toBe(400);
    expect((await authorize(sandbox, { client_id: 'nope' })).status).toBe(400);
    expect((await authorize(sandbox, { stripe_user_id: 'acct_nobody' })).status).toBe(400);
  });

  it('lets the platform read a connected account by id (accounts.retrieve), and answers 404 for another', async () => {
    const second = sandbox.accounts[1];
    expect((await platform.accounts.retrieve(second.accountId)).id).toBe(second.accountId);
    await expect(platform.accounts.retrieve('acct_nobodyhere')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it("puts `account` on the connected accounts' events, not on the platform's own", async () => {
    const [first, second] = sandbox.accounts;
    const customer = await platform.customers.create({ name: 'Through the platform' }, { stripeAccount: second.accountId });
    const own = await platform.customers.create({ name: 'The platform itself' });
    const connectedEvents = await platform.events.list({ limit: 100 }, { stripeAccount: second.accountId });
    const created = connectedEvents.data.find((e) => e.type === 'customer.created' && (e.data.object as Stripe.Customer).id === customer.id);
    expect(created?.account).toBe(second.accountId);
    expect(connectedEvents.data.every((e) => e.account === second.accountId)).toBe(true);
    const platformEvents = await platform.events.list({ limit: 100 });
    const ownCreated = platformEvents.data.find((e) => e.type === 'customer.created' && (e.data.object as Stripe.Customer).id === own.id);
    expect(ownCreated).toBeDefined();
    expect(platformEvents.data.every((e) => e.account === undefined)).toBe(true);
    expect(first.accountId).toBe(sandbox.accountId);
  });
});

describe('a single-account sandbox has no account to connect', () => {
  it('answers authorize with 400 and a hint', async () => {
    const sandbox = await startSandbox({ port: 0, now: new Date('2026-11-20T12:00:00Z') });
    try {
      const back = await authorize(sandbox, { state: 's' });
      expect(back.status).toBe(400);
      expect(back.text).toContain('--accounts 2');
    } finally {
      await sandbox.stop();
    }
  });
});
