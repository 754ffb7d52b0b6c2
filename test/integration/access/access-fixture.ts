import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import { addAccount } from '../../../src/accounts';
import { runForAccount } from '../../../src/database/account-scope';
import { grantAccount, hashApiToken, insertApiToken, newApiToken, upsertPerson, type GrantRole } from '../../../src/people';
import { createApp } from '../../../src/runtime/start-server';
import { startSandbox, type RunningSandbox, type SandboxAccountInfo } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { StripeSyncService } from '../../../src/stripe/sync/stripe-sync.service';
import { WebSessionService } from '../../../src/web-session/web-session.service';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { customer, invoice, policyConfig } from '../policies/policy-fixtures';

export const OWNER_TOKEN = 'test-token-access-0123456789abcdef';

export interface TwoAccounts {
  db: TestDatabase;
  sandbox: RunningSandbox;
  app: NestExpressApplication;
  a: SandboxAccountInfo;
  b: SandboxAccountInfo;
  /** A client of each account with one open invoice: €1,000.00 in A, €70.00 in B. */
  clientOf: { a: string; b: string };
  api: () => ReturnType<typeof request>;
  /** A token for one account or one person, made as `payrisk tokens create` makes it. */
  tokenFor(target: { account: string } | { personId: string }): Promise<string>;
  /** A person granted accounts (id → role). */
  person(email: string, grants: Record<string, GrantRole>): Promise<string>;
  /** A signed-in dashboard session for a person (or, null, the instance's owner): its cookie and CSRF token. */
  sessionFor(personId: string | null): Promise<{ cookie: string; csrf: string }>;
  close(): Promise<void>;
}

/**
 * The app on a sandbox serving two seeded Stripe accounts, both added (Acme = A, whose key is
 * also the environment's STRIPE_SECRET_KEY; Bolt = B) and both synced into one database.
 */
export async function startTwoAccounts(env: Record<string, string> = {}): Promise<TwoAccounts> {
  const [db, sandbox] = await Promise.all([createTestDatabase(), startSandbox({ port: 0, seed: 4, invoicesPerClient: 4, accounts: 2 })]);
  const [a, b] = sandbox.accounts;
  const dataKey = randomBytes(32);
  const now = new Date();
  const clientOf = { a: '', b: '' };
  for (const [account, name, key, amount] of [
    [a, 'Acme Studio', 'a', 100_000],
    [b, 'Bolt Agency', 'b', 7_000],
  ] as const) {
    const stripe = createStripeClient({ secretKey: account.secretKey, apiBase: sandbox.url, maxNetworkRetries: 0 });
    clientOf[key] = await customer(stripe, `${name} Client`);
    await invoice(stripe, clientOf[key], amount);
    await db.dataSource.transaction((manager) =>
      addAccount(
        manager,
        { name, apiKey: account.secretKey, ownerEmail: `owner@${name.split(' ')[0].toLowerCase()}.test` },
        { stripe, dataKey, now, cwd: process.cwd() },
      ),
    );
    await runForAccount(account.accountId, () => new StripeSyncService(db.dataSource, stripe, account.accountId).backfill({ full: true }));
  }
  const config = policyConfig('', {
    STRIPE_SECRET_KEY: a.secretKey,
    STRIPE_API_BASE: sandbox.url,
    API_TOKEN: OWNER_TOKEN,
    PAYRISK_SECRET_KEY: dataKey.toString('hex'),
    PUBLIC_URL: 'http://payrisk.test/',
    ...env,
  });
  const app = await createApp(config, db.url, pino({ level: 'silent' }));
  await app.init();
  const api = () => request(app.getHttpServer());
  const sessions = new WebSessionService(db.dataSource, config);
  return {
    db,
    sandbox,
    app,
    a,
    b,
    clientOf,
    api,
    async tokenFor(target) {
      const secret = newApiToken();
      await insertApiToken(db.dataSource.manager, {
        name: 'test',
        tokenHash: hashApiToken(secret.token),
        hint: secret.hint,
        stripeAccountId: 'account' in target ? target.account : null,
        personId: 'personId' in target ? target.personId : null,
      });
      return secret.token;
    },
    async person(email, grants) {
      const person = await upsertPerson(db.dataSource.manager, email, email.split('@')[0]);
      for (const [account, role] of Object.entries(grants)) await grantAccount(db.dataSource.manager, person.id, account, role);
      return person.id;
    },
    async sessionFor(personId) {
      const { url } = await sessions.issueSignInCode('cli', personId);
      const signedIn = await api()
        .post('/api/session')
        .send({ code: new URL(url).searchParams.get('code') })
        .expect(200);
      const cookie = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? [])[0].split(';')[0];
      return { cookie, csrf: signedIn.body.csrfToken as string };
    },
    async close() {
      await app.close();
      await sandbox.stop();
      await db.drop();
    },
  };
}
