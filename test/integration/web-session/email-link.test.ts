import type { NestExpressApplication } from '@nestjs/platform-express';
import pino from 'pino';
import request from 'supertest';
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
});
