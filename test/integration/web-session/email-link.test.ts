import type { NestExpressApplication } from '@nestjs/platform-express';
import pino from 'pino';
import request from 'supertest';
import { grantAccount, upsertPerson } from '../../../src/people';
import { createApp } from '../../../src/runtime/start-server';
import type { RunningSandbox } from '../../../src/sandbox';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtp-server';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { policyConfig, sandboxStartingDaysAgo } from '../policies/policy-fixtures';

/**
 * The sign-in page's "Email me a link": the link reaches OWNER_EMAIL over real SMTP and signs in
 * once; an expired link or session lets nobody in.
 */
const BEARER = 'Bearer test-token-0123456789abcdef'; // testConfig's API_TOKEN

describe('sign-in by email, and expiry', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let smtp: TestSmtpServer;
  let app: NestExpressApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpServer();
    ({ sandbox } = await sandboxStartingDaysAgo(1));
    const config = policyConfig('', {
      STRIPE_SECRET_KEY: sandbox.secretKey,
      STRIPE_API_BASE: sandbox.url,
      PUBLIC_URL: 'http://payrisk.test/',
      SMTP_URL: smtp.url,
      OWNER_EMAIL: 'owner@agency.test',
    });
    app = await createApp(config, db.url, pino({ level: 'silent' }));
    await app.init();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await sandbox?.stop();
    await smtp?.stop();
    await db?.drop();
  });

  const api = () => request(app.getHttpServer());
  const cookieOf = (res: request.Response) => ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);

  it('emails a one-time link to OWNER_EMAIL only; the link opens one session, once', async () => {
    const asked = await api().post('/api/session/email-link').expect(200);
    expect(asked.body.sentTo).not.toContain('owner@agency.test'); // masked for whoever asked
    const [mail] = await smtp.waitFor(1);
    expect(mail.to).toMatchObject({ text: 'owner@agency.test' });
    expect(mail.subject).toBe('Your payrisk sign-in link');
    const code = new URL(/(http:\/\/payrisk\.test\/login\?code=\S+)/.exec(mail.text ?? '')?.[1] ?? 'http://x/').searchParams.get('code');
    expect(code).toBeTruthy();

    const signedIn = await api().post('/api/session').send({ code }).expect(200);
    const cookie = cookieOf(signedIn);
    expect(cookie.length).toBe(1);
    expect((await api().get('/api/session').set('Cookie', cookie).expect(200)).body.csrfToken).toBeTruthy();
    await api().post('/api/session').send({ code }).expect(401); // used
  });

  it('an expired link and an expired session let nobody in', async () => {
    const { body } = await api().post('/api/session/links').set('Authorization', BEARER).expect(200);
    const code = new URL(body.url as string).searchParams.get('code');
    await db.dataSource.query(`UPDATE sign_in_codes SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`);
    await api().post('/api/session').send({ code }).expect(401);

    const fresh = await api().post('/api/session/links').set('Authorization', BEARER).expect(200);
    const signedIn = await api()
      .post('/api/session')
      .send({ code: new URL(fresh.body.url as string).searchParams.get('code') })
      .expect(200);
    const cookie = cookieOf(signedIn);
    await api().get('/api/dashboard/actions').set('Cookie', cookie).expect(200);
    await db.dataSource.query(`UPDATE web_sessions SET expires_at = now() - interval '1 second'`);
    const denied = await api().get('/api/dashboard/actions').set('Cookie', cookie);
    expect(denied.status).toBe(401);
  });

  it('emails a person added with `payrisk people add` their own link, which signs them in as themselves; an unknown address gets the same answer and no email', async () => {
    const before = smtp.messages.length;
    const stranger = await api().post('/api/session/email-link').send({ email: 'nobody@else.test' }).expect(200);
    expect(stranger.body.sentTo).toBe('n…@else.test');
    // The answer comes after the send would have been accepted (the SMTP server records before its 250): nothing went out.
    expect(smtp.messages.length).toBe(before);

    const kim = await upsertPerson(db.dataSource.manager, 'kim@books.test', 'Kim');
    await grantAccount(db.dataSource.manager, kim.id, sandbox.accountId, 'accountant');
    expect((await api().post('/api/session/email-link').send({ email: 'KIM@books.test' }).expect(200)).body.sentTo).toBe('K…@books.test');
    const mail = (await smtp.waitFor(before + 1))[before];
    expect(mail.to).toMatchObject({ text: 'KIM@books.test' });
    const code = new URL(/(http:\/\/payrisk\.test\/login\?code=\S+)/.exec(mail.text ?? '')?.[1] ?? 'http://x/').searchParams.get('code');
    const signedIn = await api().post('/api/session').send({ code }).expect(200);
    const session = await api().get('/api/session').set('Cookie', cookieOf(signedIn)).expect(200);
    expect(session.body.person).toEqual({ email: 'kim@books.test', displayName: 'Kim' });
    expect(session.body.accounts).toEqual([{ id: sandbox.accountId, name: 'Your Stripe account', role: 'accountant' }]);
    await api().post('/api/session/email-link').send({ email: 'not an address' }).expect(400);
  });
});
