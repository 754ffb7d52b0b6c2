import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';

const clientFor = (sandbox: RunningSandbox, secretKey: string) => createStripeClient({ secretKey, apiBase: sandbox.url, maxNetworkRetries: 0 });

async function customerIds(stripe: Stripe): Promise<string[]> {
  const ids: string[] = [];
  for await (const customer of stripe.customers.list({ limit: 100 })) ids.push(customer.id);
  return ids;
}

describe('a sandbox serving several Stripe accounts (accounts: N)', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 4, invoicesPerClient: 2, accounts: 3, now: new Date('2026-11-20T12:00:00Z') });
  }, 30_000);
  afterAll(() => sandbox.stop());

  it('gives each account its own key, id and webhook secret, and GET /v1/account answers per key', async () => {
    expect(sandbox.accounts).toHaveLength(3);
    expect(new Set(sandbox.accounts.map((a) => a.accountId)).size).toBe(3);
    expect(new Set(sandbox.accounts.map((a) => a.secretKey)).size).toBe(3);
    expect(new Set(sandbox.accounts.map((a) => a.webhookSecret)).size).toBe(3);
    for (const account of sandbox.accounts) {
      expect(account.secretKey).toMatch(/^sk_test_/);
      expect((await clientFor(sandbox, account.secretKey).accounts.retrieveCurrent()).id).toBe(account.accountId);
    }
    expect(sandbox.accounts[0]).toMatchObject({ accountId: sandbox.accountId, secretKey: sandbox.secretKey, webhookSecret: sandbox.webhookSecret });
  });

  it("keeps each account's data to itself: a key sees only its account's customers, and cannot read another's", async () => {
    const [a, b] = sandbox.accounts;
    const idsA = await customerIds(clientFor(sandbox, a.secretKey));
    const idsB = await customerIds(clientFor(sandbox, b.secretKey));
    expect(idsA.sort()).toEqual(a.personas.map((p) => p.customerId).sort());
    expect(idsB.sort()).toEqual(b.personas.map((p) => p.customerId).sort());
    expect(idsA.filter((id) => idsB.includes(id))).toEqual([]);
    await expect(clientFor(sandbox, b.secretKey).customers.retrieve(idsA[0])).rejects.toMatchObject({ statusCode: 404 });

    // A write through one key lands in that account only.
    const created = await clientFor(sandbox, b.secretKey).customers.create({ name: 'Only in B' });
    expect(await customerIds(clientFor(sandbox, b.secretKey))).toContain(created.id);
    expect(await customerIds(clientFor(sandbox, a.secretKey))).not.toContain(created.id);
  });

  it('refuses a key none of its accounts has, as Stripe refuses an unknown key', async () => {
    await expect(clientFor(sandbox, 'sk_test_nobody_has_this_key').accounts.retrieveCurrent()).rejects.toMatchObject({
      type: 'StripeAuthenticationError',
      statusCode: 401,
    });
  });

  it('is a Connect platform: the first key with Stripe-Account acts for another account, and GET /v1/accounts lists them', async () => {
    const [platform, b, c] = sandbox.accounts;
    const stripe = clientFor(sandbox, platform.secretKey);
    expect((await stripe.accounts.retrieveCurrent({}, { stripeAccount: b.accountId })).id).toBe(b.accountId);
    const viaPlatform: string[] = [];
    for await (const customer of stripe.customers.list({ limit: 100 }, { stripeAccount: c.accountId })) viaPlatform.push(customer.id);
    expect(viaPlatform.sort()).toEqual((await customerIds(clientFor(sandbox, c.secretKey))).sort());

    const listed: string[] = [];
    for await (const account of stripe.accounts.list({ limit: 1 })) listed.push(account.id);
    expect(listed).toEqual([b.accountId, c.accountId]);

    // A connected account's key cannot act for another account, nor the platform's for one it does not have.
    await expect(clientFor(sandbox, b.secretKey).customers.list({}, { stripeAccount: c.accountId })).rejects.toMatchObject({
      type: 'StripePermissionError',
      statusCode: 403,
      code: 'account_invalid',
    });
    await expect(stripe.customers.list({}, { stripeAccount: 'acct_not_connected' })).rejects.toMatchObject({ statusCode: 403 });
  });

  it('lists its accounts on GET /_sandbox/accounts and moves one clock for all of them', async () => {
    const listed = (await (await fetch(`${sandbox.url}/_sandbox/accounts`)).json()) as { accounts: { accountId: string; secretKey: string }[] };
    expect(listed.accounts.map((a) => a.accountId)).toEqual(sandbox.accounts.map((a) => a.accountId));
    const before = sandbox.now().getTime();
    await sandbox.advanceTime(3 * 86_400);
    expect(sandbox.now().getTime() - before).toBeGreaterThanOrEqual(3 * 86_400_000);
  });
});

describe('a persisted sandbox of several accounts', () => {
  it('continues every account where it stopped: the first in <stateDir>/state.json as always, the others beside it', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'payrisk-sandbox-accounts-'));
    const options = { port: 0, seed: 2, invoicesPerClient: 1, accounts: 2, stateDir } as const;
    const first = await startSandbox(options);
    const added = await clientFor(first, first.accounts[1].secretKey).customers.create({ name: 'Kept in account 2' });
    await first.stop();
    expect(existsSync(join(stateDir, 'state.json'))).toBe(true);
    expect(existsSync(join(stateDir, 'account-2', 'state.json'))).toBe(true);

    const again = await startSandbox(options);
    try {
      expect(again.restored).toBe(true);
      expect(again.accounts.map((a) => a.secretKey)).toEqual(first.accounts.map((a) => a.secretKey));
      expect(await customerIds(clientFor(again, again.accounts[1].secretKey))).toContain(added.id);
      expect(await customerIds(clientFor(again, again.accounts[0].secretKey))).not.toContain(added.id);
    } finally {
      await again.stop();
    }
  });
});

describe('the single-account sandbox (the default) stays as it was', () => {
  it('serves one account that any sk_test_ key reaches, with the same key and id as accounts: 1', async () => {
    const plain = await startSandbox({ port: 0, seed: 'empty' });
    const one = await startSandbox({ port: 0, seed: 'empty', accounts: 1 });
    try {
      expect(plain.accounts).toHaveLength(1);
      expect({ key: one.secretKey, id: one.accountId }).toEqual({ key: plain.secretKey, id: plain.accountId });
      expect((await clientFor(plain, 'sk_test_any_key_at_all').accounts.retrieveCurrent()).id).toBe(plain.accountId);
    } finally {
      await Promise.all([plain.stop(), one.stop()]);
    }
  });

  it('refuses a number of accounts it cannot serve', async () => {
    await expect(startSandbox({ port: 0, accounts: 0 })).rejects.toThrow('accounts: expected a whole number from 1 to 500');
  });
});
