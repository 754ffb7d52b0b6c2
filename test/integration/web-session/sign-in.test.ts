import { WebSessionService } from '../../../src/web-session/web-session.service';
import { createTestDatabase, TestDatabase } from '../../support/test-database';
import { testConfig } from '../../support/test-config';

describe('sign-in codes and sessions', () => {
  let db: TestDatabase;
  let sessions: WebSessionService;

  beforeAll(async () => {
    db = await createTestDatabase();
    sessions = new WebSessionService(db.dataSource, testConfig({ PUBLIC_URL: 'http://payrisk.test/' }));
  });
  afterAll(() => db.drop());

  const codeOf = (url: string) => new URL(url).searchParams.get('code') ?? '';

  it('a code opens one session, once; the session lives until it is ended', async () => {
    const { url, expiresAt } = await sessions.issueSignInCode('cli');
    expect(url).toMatch(/^http:\/\/payrisk\.test\/login\?code=/);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());

    const redeemed = await sessions.redeem(codeOf(url));
    expect(redeemed).not.toBeNull();
    expect(await sessions.redeem(codeOf(url))).toBeNull();
    expect(await sessions.redeem('not-a-code')).toBeNull();

    const found = await sessions.find(redeemed!.token);
    expect(found).toEqual(redeemed!.session);
    expect(found?.csrfToken).toMatch(/^[\w-]{20,}$/);
    expect(found?.stripeAccountId).toBeNull();

    await sessions.end(found!.tokenHash);
    expect(await sessions.find(redeemed!.token)).toBeNull();
  });

  it('stores hashes only: neither the code nor the cookie value is in the tables', async () => {
    const { url } = await sessions.issueSignInCode('api');
    const redeemed = await sessions.redeem(codeOf(url));
    const dump = JSON.stringify([await db.dataSource.query(`SELECT * FROM sign_in_codes`), await db.dataSource.query(`SELECT * FROM web_sessions`)]);
    expect(dump).not.toContain(codeOf(url));
    expect(dump).not.toContain(redeemed!.token);
  });
});
