import { revokeApiTokens } from '../../../src/people';
import { OWNER_TOKEN, startTwoAccounts, type TwoAccounts } from './access-fixture';

/**
 * Who may call /api for which account: the owner's API_TOKEN and owner sessions see every
 * account; a token for one account sees that one; a person sees what is granted, in the role
 * granted. Every /api request acts for one account (Payrisk-Account, the session's switcher,
 * else the only one), and one the caller may not see answers like one that does not exist.
 */
describe('principals and the account a request acts for (real PostgreSQL, a two-account sandbox)', () => {
  let env: TwoAccounts;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const ids = (body: { accounts: { id: string }[] }) => body.accounts.map((a) => a.id).sort();

  beforeAll(async () => {
    env = await startTwoAccounts();
  }, 120_000);
  afterAll(() => env?.close());

  it("the instance's API_TOKEN is the owner of every account, and must say which one when there are several", async () => {
    const session = await env.api().get('/api/session').set(bearer(OWNER_TOKEN)).expect(200);
    expect(ids(session.body)).toEqual([env.a.accountId, env.b.accountId].sort());
    expect(session.body.accounts.map((a: { role: string }) => a.role)).toEqual(['owner', 'owner']);
    expect(session.body.stripeAccountId).toBeUndefined();

    const unchosen = await env.api().get('/api/dashboard/clients').set(bearer(OWNER_TOKEN)).expect(400);
    expect(unchosen.body.error.details.field).toBe('Payrisk-Account');
    expect(unchosen.body.error.message).toContain('Acme Studio');
    await env.api().get('/api/dashboard/clients').set(bearer(OWNER_TOKEN)).set('Payrisk-Account', env.b.accountId).expect(200);

    const malformed = await env.api().get('/api/dashboard/clients').set(bearer(OWNER_TOKEN)).set('Payrisk-Account', 'Bolt Agency').expect(400);
    expect(malformed.body.error.details.field).toBe('Payrisk-Account');
  });

  it('a token for account A sees A only; B answers exactly like an account that does not exist', async () => {
    const token = await env.tokenFor({ account: env.a.accountId });
    const session = await env.api().get('/api/session').set(bearer(token)).expect(200);
    expect(ids(session.body)).toEqual([env.a.accountId]);
    expect(session.body.stripeAccountId).toBe(env.a.accountId);
    await env.api().get('/api/dashboard/clients').set(bearer(token)).expect(200);

    const toB = await env.api().get('/api/dashboard/clients').set(bearer(token)).set('Payrisk-Account', env.b.accountId).expect(404);
    const toNothing = await env.api().get('/api/dashboard/clients').set(bearer(token)).set('Payrisk-Account', 'acct_doesnotexist').expect(404);
    expect(JSON.stringify(toB.body).replaceAll(env.b.accountId, 'X')).toBe(JSON.stringify(toNothing.body).replaceAll('acct_doesnotexist', 'X'));
    expect(JSON.stringify(toB.body)).not.toContain('Bolt');

    // Only the instance's owner mints owner sign-in links.
    await env.api().post('/api/session/links').set(bearer(token)).expect(403);
    await env.api().post('/api/session/links').set(bearer(OWNER_TOKEN)).expect(200);
  });

  it('a revoked token, or one never made, opens nothing', async () => {
    const token = await env.tokenFor({ account: env.a.accountId });
    await env.api().get('/api/session').set(bearer(token)).expect(200);
    const [revoked] = await revokeApiTokens(
      env.db.dataSource.manager,
      (await env.db.dataSource.query(`SELECT id FROM api_tokens ORDER BY created_at DESC LIMIT 1`))[0].id,
    );
    expect(revoked.hint).toBe(`prk_…${token.slice(-4)}`);
    await env.api().get('/api/session').set(bearer(token)).expect(401);
    await env.api().get('/api/session').set(bearer('prk_neverMadeByAnyone0000000000000000000000')).expect(401);
    expect(JSON.stringify(await env.db.dataSource.query(`SELECT * FROM api_tokens`))).not.toContain(token);
  });

  it("a person's session sees the accounts granted to them; the switcher selects among those only", async () => {
    const person = await env.person('kim@books.test', { [env.a.accountId]: 'owner', [env.b.accountId]: 'accountant' });
    const { cookie, csrf } = await env.sessionFor(person);
    const session = await env.api().get('/api/session').set('Cookie', cookie).expect(200);
    expect(session.body.person).toEqual({ email: 'kim@books.test', displayName: 'kim' });
    expect(session.body.accounts).toEqual(
      expect.arrayContaining([
        { id: env.a.accountId, name: 'Acme Studio', role: 'owner' },
        { id: env.b.accountId, name: 'Bolt Agency', role: 'accountant' },
      ]),
    );
    await env.api().get('/api/dashboard/clients').set('Cookie', cookie).expect(400); // two accounts, none selected yet

    const switched = await env.api().put('/api/session/account').set('Cookie', cookie).set('X-CSRF-Token', csrf).send({ account: env.b.accountId }).expect(200);
    expect(switched.body.stripeAccountId).toBe(env.b.accountId);
    await env.api().get('/api/dashboard/clients').set('Cookie', cookie).expect(200);
    // An accountant reads; deciding is the owner's.
    const decided = await env
      .api()
      .post('/api/dashboard/actions/decisions')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .send({ decision: 'reject', ids: [] });
    expect(decided.status).toBe(403);
    expect(decided.body.error.message).toContain("accountant's");
    // In A, where they are an owner, the same request is let through to the handler.
    await env
      .api()
      .post('/api/dashboard/actions/decisions')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .set('Payrisk-Account', env.a.accountId)
      .send({ decision: 'reject', ids: [] })
      .expect((res) => expect(res.status).not.toBe(403));
  });

  it('a person granted only A cannot select B, by switcher or header; their token is the same', async () => {
    const person = await env.person('lee@books.test', { [env.a.accountId]: 'accountant' });
    const { cookie, csrf } = await env.sessionFor(person);
    await env.api().put('/api/session/account').set('Cookie', cookie).set('X-CSRF-Token', csrf).send({ account: env.b.accountId }).expect(404);
    await env.api().get('/api/dashboard/clients').set('Cookie', cookie).set('Payrisk-Account', env.b.accountId).expect(404);
    await env.api().get('/api/dashboard/clients').set('Cookie', cookie).expect(200); // A, the only one
    const token = await env.tokenFor({ personId: person });
    expect(ids((await env.api().get('/api/session').set(bearer(token)).expect(200)).body)).toEqual([env.a.accountId]);
    await env.api().get('/api/dashboard/clients').set(bearer(token)).set('Payrisk-Account', env.b.accountId).expect(404);
  });

  it("the owner's sign-in link (no person) opens a session that sees every account, as before there were people", async () => {
    const { cookie } = await env.sessionFor(null);
    const session = await env.api().get('/api/session').set('Cookie', cookie).expect(200);
    expect(ids(session.body)).toEqual([env.a.accountId, env.b.accountId].sort());
    expect(session.body.person).toBeUndefined();
  });
});
