import type { NestExpressApplication } from '@nestjs/platform-express';
import pino from 'pino';
import request from 'supertest';
import { findAccount, openAccountSecrets, stripeClientForAccount } from '../../../src/accounts';
import { createApp } from '../../../src/runtime/start-server';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { testConfig } from '../../support/test-config';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

const TOKEN = 'test-token-connect-0123456789';
const bearer = { Authorization: `Bearer ${TOKEN}` };
const PUBLIC_URL = 'http://payrisk.test';
const CLIENT_ID = 'ca_platformtest01';

/**
 * Stripe Connect OAuth end to end: payrisk on real PostgreSQL, the platform's key against a
 * sandbox of three accounts (the first the platform) over HTTP with the official client. The
 * browser's part (following redirects, carrying the cookie) is done by hand, step by step.
 */
describe('Stripe Connect: GET /connect/start → Stripe authorize → GET /connect/callback', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let app: NestExpressApplication;
  const api = () => request(app.getHttpServer());

  beforeAll(async () => {
    [db, sandbox] = await Promise.all([
      createTestDatabase(),
      startSandbox({ port: 0, seed: 3, invoicesPerClient: 2, accounts: 3, now: new Date('2026-11-20T12:00:00Z') }),
    ]);
    const config = testConfig({
      STRIPE_SECRET_KEY: sandbox.secretKey,
      STRIPE_API_BASE: sandbox.url,
      STRIPE_CONNECT_CLIENT_ID: CLIENT_ID,
      API_TOKEN: TOKEN,
      PUBLIC_URL,
    });
    app = await createApp(config, db.url, pino({ level: 'silent' }));
    await app.init();
  }, 90_000);
  afterAll(async () => {
    await app?.close();
    await sandbox?.stop();
    await db?.drop();
  });

  /** GET /connect/start as `headers`' caller: the authorize URL it redirects to, and the cookie it sets. */
  async function start(headers: Record<string, string>, query = ''): Promise<{ authorize: URL; setCookie: string[] }> {
    const response = await api().get(`/connect/start${query}`).set(headers);
    expect(response.status).toBe(302);
    const setCookie = response.headers['set-cookie'] as unknown as string[] | undefined;
    return { authorize: new URL(response.headers.location as string), setCookie: setCookie ?? [] };
  }

  /** What the browser does on Stripe's page: follows the authorize URL (the sandbox approves or, asked to, denies) to payrisk's callback. */
  async function throughStripe(authorize: URL, extra: Record<string, string> = {}): Promise<URL> {
    const url = new URL(authorize);
    for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, value);
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const back = new URL(response.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(`${PUBLIC_URL}/connect/callback`);
    return back;
  }

  const callback = (back: URL, cookie?: string) =>
    api()
      .get(back.pathname + back.search)
      .set(cookie ? { Cookie: cookie } : {});

  const stateOf = (url: URL) => url.searchParams.get('state')!;

  it('connects a Standard account: stored with no key of its own, and calls for it carry Stripe-Account with the platform key', async () => {
    const connected = sandbox.accounts[1];
    const { authorize } = await start(bearer, '?name=Acme%20Connected');
    expect(authorize.origin + authorize.pathname).toBe(`${sandbox.url}/oauth/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      scope: 'read_write',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{43}$/),
      redirect_uri: `${PUBLIC_URL}/connect/callback`,
    });
    const back = await throughStripe(authorize);
    expect(back.searchParams.get('code')).toMatch(/^ac_/);
    const done = await callback(back);
    expect(done.status).toBe(200);
    expect(done.text).toContain('Account connected');
    expect(done.text).toContain(connected.accountId);

    const row = await findAccount(db.dataSource.manager, connected.accountId);
    expect(row).toMatchObject({
      name: 'Acme Connected',
      connection: 'connect',
      apiKeySealed: null,
      apiKeyHint: null,
      platformAccountId: sandbox.accountId,
      connectScope: 'read_write',
      livemode: false,
      defaultCurrency: 'eur',
      removedAt: null,
    });
    expect(() => openAccountSecrets(row!, { key: Buffer.alloc(32), source: 'test' })).toThrow(/connected through the platform/);

    // A call for it: the platform's key with Stripe-Account, and the sandbox answers as that account.
    const stripe = stripeClientForAccount(row!, { platformKey: sandbox.secretKey, apiBase: sandbox.url, maxNetworkRetries: 0 });
    const sent: { account?: string }[] = [];
    stripe.on('request', (event: { account?: string }) => sent.push(event));
    expect((await stripe.accounts.retrieveCurrent()).id).toBe(connected.accountId);
    const customers = await stripe.customers.list({ limit: 100 });
    expect(customers.data.map((c) => c.id).sort()).toEqual(connected.personas.map((p) => p.customerId).sort());
    expect(sent.length).toBe(2);
    expect(sent.every((event) => event.account === connected.accountId)).toBe(true);

    // The same link again: a state works once.
    const replay = await callback(back);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('used already');
  });

  it('a declined authorization answers 400 and stores nothing', async () => {
    const declined = sandbox.accounts[2];
    const { authorize } = await start(bearer);
    const back = await throughStripe(authorize, { decision: 'deny', stripe_user_id: declined.accountId });
    expect(back.searchParams.get('error')).toBe('access_denied');
    const done = await callback(back);
    expect(done.status).toBe(400);
    expect(done.text).toContain('Connection declined');
    expect(await findAccount(db.dataSource.manager, declined.accountId)).toBeUndefined();
  });

  it('refuses forged, missing, altered and expired states with 400, never 5xx', async () => {
    const { authorize } = await start(bearer);
    const back = await throughStripe(authorize, { stripe_user_id: sandbox.accounts[2].accountId });
    const state = stateOf(back);
    const withState = (value: string | null) => {
      const url = new URL(back);
      if (value === null) url.searchParams.delete('state');
      else url.searchParams.set('state', value);
      return url;
    };
    const altered = `${state.slice(0, 10)}${state[10] === 'a' ? 'b' : 'a'}${state.slice(11)}`;
    for (const [value, says] of [
      [null, 'has no state'],
      ['forged', 'not issued by this payrisk'],
      [altered, 'not issued by this payrisk'],
      [`${'A'.repeat(32)}.${'B'.repeat(43)}`, 'not issued by this payrisk'],
    ] as const) {
      const response = await callback(withState(value));
      expect({ value, status: response.status, says: response.text.includes(says) }).toEqual({ value, status: 400, says: true });
    }
    // The genuine state expires: past its time it is refused too (and nothing is stored).
    await db.dataSource.query(`UPDATE connect_oauth_states SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`);
    const expired = await callback(back);
    expect(expired.status).toBe(400);
    expect(expired.text).toContain('expired');
    expect(await findAccount(db.dataSource.manager, sandbox.accounts[2].accountId)).toBeUndefined();
    // Bad input is a page too.
    const bad = await api().get('/connect/callback?code=%3Cscript%3E&state=x');
    expect(bad.status).toBe(400);
    expect(bad.text).not.toContain('<script>');
  });

  it('a code Stripe refuses answers 400 and spends the state', async () => {
    const { authorize } = await start(bearer);
    const back = await throughStripe(authorize, { stripe_user_id: sandbox.accounts[2].accountId });
    back.searchParams.set('code', 'ac_neverissued');
    const refused = await callback(back);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Stripe refused the authorization code');
    expect((await callback(back)).text).toContain('used already');
  });

  it("binds a dashboard session's state to its browser: the callback without its cookie is refused, with it the account is stored", async () => {
    const target = sandbox.accounts[2];
    const link = await api().post('/api/session/links').set(bearer).expect(200);
    const code = new URL(link.body.url as string).searchParams.get('code');
    const signIn = await api().post('/api/session').send({ code }).expect(200);
    const sessionCookie = (signIn.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');

    const { authorize, setCookie } = await start({ Cookie: sessionCookie });
    const browser = setCookie.find((c) => c.startsWith('payrisk_connect='));
    expect(browser).toMatch(/HttpOnly/i);
    expect(browser).toMatch(/SameSite=Lax/i);
    expect(browser).toMatch(/Path=\/connect/);
    const back = await throughStripe(authorize, { stripe_user_id: target.accountId });

    // Another browser (no cookie, or another's) cannot finish it, nor use it up.
    for (const cookie of [undefined, 'payrisk_connect=someone-elses']) {
      const stranger = await callback(back, cookie);
      expect(stranger.status).toBe(400);
      expect(stranger.text).toContain('started in another browser');
    }
    expect(await findAccount(db.dataSource.manager, target.accountId)).toBeUndefined();

    const done = await callback(back, browser!.split(';')[0]);
    expect(done.status).toBe(200);
    expect(await findAccount(db.dataSource.manager, target.accountId)).toMatchObject({ connection: 'connect', platformAccountId: sandbox.accountId });
  });

  it('GET /connect/start needs the API token or a session, and hands out no state without', async () => {
    const states = async () => ((await db.dataSource.query(`SELECT count(*)::int AS n FROM connect_oauth_states`)) as { n: number }[])[0].n;
    const before = await states();
    expect((await api().get('/connect/start')).status).toBe(401);
    expect((await api().get('/connect/start').set({ Authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect(await states()).toBe(before);
  });
});

describe('Stripe Connect not set up', () => {
  it('GET /connect/start says which variable to set (400), not a redirect to nowhere', async () => {
    const [db, sandbox] = await Promise.all([createTestDatabase(), startSandbox({ port: 0, accounts: 2, now: new Date('2026-11-20T12:00:00Z') })]);
    const app = await createApp(
      testConfig({ STRIPE_SECRET_KEY: sandbox.secretKey, STRIPE_API_BASE: sandbox.url, API_TOKEN: TOKEN }),
      db.url,
      pino({ level: 'silent' }),
    );
    try {
      await app.init();
      const response = await request(app.getHttpServer()).get('/connect/start').set(bearer);
      expect(response.status).toBe(400);
      expect(response.text).toContain('STRIPE_CONNECT_CLIENT_ID');
    } finally {
      await app.close();
      await sandbox.stop();
      await db.drop();
    }
  }, 90_000);
});
