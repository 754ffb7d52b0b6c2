import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import Stripe from 'stripe';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { addAccount, markAccountRemoved, upsertConnectedAccount } from '../../../src/accounts';
import { AccountRuntimes } from '../../../src/accounts/runtime/account-runtimes';
import { policiesRunCommand } from '../../../src/cli/commands/policies.command';
import { syncCommand } from '../../../src/cli/commands/sync.command';
import { DomainError } from '../../../src/common/errors';
import type { AppConfig } from '../../../src/config';
import { runForAccount } from '../../../src/database/account-scope';
import { ReportsService } from '../../../src/reports/reports.service';
import { createApp } from '../../../src/runtime/start-server';
import { startSandbox, type RunningSandbox, type SandboxAccountInfo } from '../../../src/sandbox';
import { STRIPE_API_VERSION } from '../../../src/stripe/stripe-api-version';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { STRIPE_CONNECTION } from '../../../src/stripe/stripe.tokens';
import { LedgerChanges } from '../../../src/stripe/sync/ledger-changes';
import { StripeSyncService } from '../../../src/stripe/sync/stripe-sync.service';
import { WebhookInbox } from '../../../src/stripe/webhooks/webhook-inbox';
import { testConfig } from '../../support/test-config';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { customer, DAY, feeItems, invoice } from '../policies/policy-fixtures';

Logger.overrideLogger(false);

const AUTO_FEES = `detection:
  graceDays: 40
policies:
  lateFee: { enabled: true, mode: auto, graceDays: 7, preset: monthly-1.5-percent, recurrence: once, applyAs: invoice_item }
`;
const CONNECT_SECRET = `whsec_${randomBytes(24).toString('hex')}`;

/**
 * Two accounts added by key and one connected through the platform, on one PostgreSQL and
 * one sandbox of four accounts over HTTP (the first the platform). The commands run in this
 * process as the CLI runs them; the Connect endpoint is the server's.
 */
describe('many accounts: every command and webhook works for the account it is for', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let a: SandboxAccountInfo;
  let b: SandboxAccountInfo;
  let connected: SandboxAccountInfo;
  let config: AppConfig;
  const dataKey = randomBytes(32);
  const logger = pino({ level: 'silent' });
  const stripeOf = (account: SandboxAccountInfo) => createStripeClient({ secretKey: account.secretKey, apiBase: sandbox.url, maxNetworkRetries: 0 });
  const ids: Record<string, { client: string; invoice: Stripe.Invoice }> = {};
  const printed: string[] = [];

  const rowsByAccount = async (table: string) =>
    (await db.dataSource.query(`SELECT stripe_account_id AS account, count(*)::int AS n FROM ${table} GROUP BY 1 ORDER BY 1`)) as {
      account: string;
      n: number;
    }[];

  beforeAll(async () => {
    [db, sandbox] = await Promise.all([
      createTestDatabase(),
      startSandbox({ port: 0, seed: 'empty', accounts: 4, now: new Date(Date.now() - 40 * DAY * 1000) }),
    ]);
    [, a, b, connected] = sandbox.accounts;
    // One overdue invoice in each account added by key: due 7 days after the start, 33 days past due once the clock is moved.
    for (const [account, name] of [
      [a, 'Alice of A'],
      [b, 'Bob of B'],
    ] as const) {
      const stripe = stripeOf(account);
      const client = await customer(stripe, name);
      ids[account.accountId] = { client, invoice: await invoice(stripe, client, 200_000) };
    }
    await sandbox.advanceTime(40 * DAY);

    const home = mkdtempSync(join(tmpdir(), 'payrisk-accounts-'));
    const policyFile = join(home, 'a-policies.yaml');
    writeFileSync(policyFile, AUTO_FEES);
    config = testConfig({
      DATABASE_URL: db.url,
      STRIPE_SECRET_KEY: sandbox.secretKey,
      STRIPE_API_BASE: sandbox.url,
      STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET,
      PAYRISK_SECRET_KEY: dataKey.toString('base64'),
      OWNER_EMAIL: 'environment-owner@example.test',
    });
    const now = new Date();
    await db.dataSource.transaction(async (manager) => {
      const deps = (account: SandboxAccountInfo) => ({ stripe: stripeOf(account), dataKey, now, cwd: process.cwd() });
      await addAccount(
        manager,
        { name: 'Studio A', apiKey: a.secretKey, ownerEmail: 'owner-a@example.test', policyFile, webhookSecret: a.webhookSecret },
        deps(a),
      );
      await addAccount(manager, { name: 'Studio B', apiKey: b.secretKey, ownerEmail: 'owner-b@example.test' }, deps(b));
      await upsertConnectedAccount(
        manager,
        {
          stripeAccountId: connected.accountId,
          name: 'Connected C',
          platformAccountId: sandbox.accountId,
          livemode: false,
          scope: 'read_write',
          defaultCurrency: 'eur',
        },
        now,
      );
    });
    // What the commands print (tables with console.log, JSON with process.stdout.write).
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0);
  }, 90_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await sandbox?.stop();
    await db?.drop();
  });

  it('a command without --account, with several accounts added, refuses and lists them', async () => {
    const error = await syncCommand(config, logger, {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).message).toContain('3 Stripe accounts are added; say which one with --account ID_OR_NAME');
    for (const line of [`Studio A  ${a.accountId}`, `Studio B  ${b.accountId}`, `Connected C  ${connected.accountId}`])
      expect((error as DomainError).message).toContain(line);
    expect(await rowsByAccount('clients')).toEqual([]);
  });

  it('payrisk sync --account A syncs A only, with its key: every row carries its id', async () => {
    await syncCommand(config, logger, { account: 'Studio A', full: true });
    expect(printed.at(-1)).toMatch(new RegExp(`^Backfill done for Studio A \\(${a.accountId}\\): .*invoices 1`));
    expect(await rowsByAccount('clients')).toEqual([{ account: a.accountId, n: 1 }]);
    expect(await rowsByAccount('invoices')).toEqual([{ account: a.accountId, n: 1 }]);
    expect(await db.dataSource.query(`SELECT id FROM invoices`)).toEqual([{ id: ids[a.accountId].invoice.id }]);
  });

  it("policies run --account A applies A's policy file in A's Stripe only and emails A's owner", async () => {
    printed.length = 0;
    await policiesRunCommand(config, logger, { account: 'studio a', json: true });
    const result = JSON.parse(printed.join('\n')) as { created: number; applied: number; actions: { customerId: string; status: string }[] };
    expect(result).toMatchObject({ created: 1, applied: 1 });
    expect(result.actions.map((x) => [x.customerId, x.status])).toEqual([[ids[a.accountId].client, 'applied']]);
    // The fee exists in A's Stripe (read with A's key), and nothing was written to B's.
    const fees = await feeItems(stripeOf(a), ids[a.accountId].client);
    expect(fees).toHaveLength(1);
    expect(fees[0]).toMatchObject({ amount: 3_000, currency: 'eur' });
    expect(await feeItems(stripeOf(b), ids[b.accountId].client)).toEqual([]);
    expect(await db.dataSource.query(`SELECT stripe_account_id, status FROM actions`)).toEqual([{ stripe_account_id: a.accountId, status: 'applied' }]);
    expect(await db.dataSource.query(`SELECT DISTINCT recipient FROM outbox_messages`)).toEqual([{ recipient: 'owner-a@example.test' }]);

    // B, synced by its id, runs the default policies (fees off): nothing for B, and A's fee is not applied again.
    await syncCommand(config, logger, { account: b.accountId, full: true });
    expect(await rowsByAccount('clients')).toEqual(
      [
        { account: a.accountId, n: 1 },
        { account: b.accountId, n: 1 },
      ].sort((x, y) => x.account.localeCompare(y.account)),
    );
    printed.length = 0;
    await policiesRunCommand(config, logger, { account: 'Studio B', json: true });
    expect(JSON.parse(printed.join('\n'))).toMatchObject({ created: 0, applied: 0 });
    expect(await feeItems(stripeOf(a), ids[a.accountId].client)).toHaveLength(1);
  });

  describe('webhooks for added and connected accounts', () => {
    let app: NestExpressApplication;
    const post = (path: string, payload: string, secret: string) =>
      request(app.getHttpServer())
        .post(path)
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', Stripe.webhooks.generateTestHeaderString({ payload, secret }))
        .send(payload);
    const connectedStripe = () =>
      createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url, stripeAccount: connected.accountId, maxNetworkRetries: 0 });
    /** A real event of the connected account as the platform reads it (it carries `account`), and the customer it creates. */
    const connectedCustomerEvent = async (name: string) => {
      const stripe = connectedStripe();
      const created = await stripe.customers.create({ name, email: 'carol@client.test' });
      const events = await stripe.events.list({ type: 'customer.created', limit: 100 });
      const event = events.data.find((e) => (e.data.object as { id: string }).id === created.id)!;
      expect(event.account).toBe(connected.accountId);
      return { event, customerId: created.id };
    };

    beforeAll(async () => {
      app = await createApp(config, db.url, pino({ level: 'silent' }));
      await app.init();
    }, 60_000);
    afterAll(async () => {
      await app?.close();
    });

    it("the server's runtimes: each account its own client, request budget, owner and policy file; the environment's when unscoped", async () => {
      const runtimes = app.get(AccountRuntimes);
      const [ra, rb, rc] = await Promise.all([a, b, connected].map((x) => runtimes.forAccount(x.accountId)));
      expect([ra.name, rb.name, rc.name]).toEqual(['Studio A', 'Studio B', 'Connected C']);
      expect(new Set([ra.budget, rb.budget, rc.budget, runtimes.environment.budget]).size).toBe(4);
      expect([ra.ownerEmail, rb.ownerEmail, rc.ownerEmail]).toEqual(['owner-a@example.test', 'owner-b@example.test', 'environment-owner@example.test']);
      expect([ra.policy.lateFee.enabled, rb.policy.lateFee.enabled]).toEqual([true, false]);
      expect((await ra.stripe.accounts.retrieveCurrent()).id).toBe(a.accountId);
      expect((await rc.stripe.accounts.retrieveCurrent()).id).toBe(connected.accountId); // the platform's key with Stripe-Account
      expect(await runtimes.forAccount(a.accountId)).toBe(ra); // built once, then from memory
      expect((await runtimes.current()).accountId).toBe(sandbox.accountId);
      await expect(runtimes.forAccount('acct_nobodyknows')).rejects.toThrow('no Stripe account acct_nobodyknows is added here');
    });

    it("the server's reports use each account's own detection settings (A's policy file: 40 grace days; B: the default)", async () => {
      // Both invoices paid now, 33 days after their due date; then each account synced with its own key.
      for (const account of [a, b]) await stripeOf(account).invoices.pay(ids[account.accountId].invoice.id as string, { paid_out_of_band: true });
      await syncCommand(config, logger, { account: 'Studio A' });
      await syncCommand(config, logger, { account: 'Studio B', full: true });
      const asOf = new Date(sandbox.now().getTime() + DAY * 1000).toISOString().slice(0, 10);
      const behaviourOf = async (account: SandboxAccountInfo) => {
        const report = await runForAccount(account.accountId, () => app.get(ReportsService).run('behaviour', { asOf, from: '2000-01-01', to: asOf }));
        return report.rows.filter((row) => row.row_type === 'client').map((row) => ({ client: row.client_id, late: row.late, onTime: row.on_time }));
      };
      expect(await behaviourOf(a)).toEqual([{ client: ids[a.accountId].client, late: 0, onTime: 1 }]);
      expect(await behaviourOf(b)).toEqual([{ client: ids[b.accountId].client, late: 1, onTime: 0 }]);
    });

    it('a Connect webhook for a connected account is stored and applied for that account', async () => {
      const { event, customerId } = await connectedCustomerEvent('Carol of C');
      const response = await post('/webhooks/stripe/connect', JSON.stringify(event), CONNECT_SECRET);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ received: true, duplicate: false });
      await (await app.get(AccountRuntimes).inboxFor(connected.accountId)).idle();
      expect(await db.dataSource.query(`SELECT stripe_account_id, name FROM clients WHERE id = $1`, [customerId])).toEqual([
        { stripe_account_id: connected.accountId, name: 'Carol of C' },
      ]);
      expect(await db.dataSource.query(`SELECT stripe_account_id FROM processed_events WHERE id = $1`, [event.id])).toEqual([
        { stripe_account_id: connected.accountId },
      ]);
    });

    it('a Connect webhook with a forged signature is refused and nothing is stored', async () => {
      const { event } = await connectedCustomerEvent('Mallory');
      const forged = await post('/webhooks/stripe/connect', JSON.stringify(event), `whsec_${randomBytes(24).toString('hex')}`);
      expect(forged.status).toBe(400);
      expect(forged.body.error.message).toContain('Webhook signature verification failed');
      // Signed with the secret of account A's own endpoint: not the Connect endpoint's either.
      expect((await post('/webhooks/stripe/connect', JSON.stringify(event), a.webhookSecret)).status).toBe(400);
      // Nothing of the refused deliveries was stored: a stored event is in the inbox or, once applied, among the processed
      // ones, at any moment. Read at once, not after waiting: a catch-up of the connected account may sync it on its own later.
      expect(await db.dataSource.query(`SELECT id FROM webhook_inbox WHERE id = $1 UNION SELECT id FROM processed_events WHERE id = $1`, [event.id])).toEqual(
        [],
      );
    });

    it('an account added by key has its own endpoint, /webhooks/stripe/<its id>, verified with its own secret', async () => {
      const stripe = stripeOf(a);
      const created = await stripe.customers.create({ name: 'Anna of A' });
      const event = (await stripe.events.list({ type: 'customer.created', limit: 100 })).data.find((e) => (e.data.object as { id: string }).id === created.id)!;
      const payload = JSON.stringify(event);
      expect((await post(`/webhooks/stripe/${a.accountId}`, payload, b.webhookSecret)).status).toBe(400);
      // B was added without a webhook secret: its endpoint says how to configure it.
      const unconfigured = await post(`/webhooks/stripe/${b.accountId}`, payload, b.webhookSecret);
      expect(unconfigured.status).toBe(412);
      expect(unconfigured.body.error.message).toContain('--webhook-secret');
      expect((await post(`/webhooks/stripe/${a.accountId}`, payload, a.webhookSecret)).status).toBe(200);
      await (await app.get(AccountRuntimes).inboxFor(a.accountId)).idle();
      expect(await db.dataSource.query(`SELECT stripe_account_id FROM clients WHERE id = $1`, [created.id])).toEqual([{ stripe_account_id: a.accountId }]);
    });

    // These two remove accounts: they come last.
    it('an account removed by another process stops being served once its row is read again; an unchanged row keeps its runtime', async () => {
      const runtimes = new AccountRuntimes({
        dataSource: app.get(DataSource),
        config,
        connection: app.get(STRIPE_CONNECTION),
        changes: app.get(LedgerChanges),
        environmentSync: app.get(StripeSyncService),
        environmentInbox: app.get(WebhookInbox),
        rereadAfterMs: 0,
      });
      const first = await runtimes.forAccount(b.accountId);
      expect(await runtimes.forAccount(b.accountId)).toBe(first); // read again, unchanged: the same client and budget
      expect(await markAccountRemoved(db.dataSource.manager, b.accountId, new Date())).toBe(true);
      await expect(runtimes.forAccount(b.accountId)).rejects.toThrow('account Studio B');
      await expect(runtimes.forAccount(b.accountId)).rejects.toThrow('was removed');
    });

    it('a connected account that deauthorizes the platform is removed at once, keeps its data, and its events are refused after', async () => {
      const clientsBefore = await db.dataSource.query(`SELECT count(*)::int AS n FROM clients WHERE stripe_account_id = $1`, [connected.accountId]);
      expect(clientsBefore[0].n).toBeGreaterThan(0);
      const deauthorized = JSON.stringify({
        id: `evt_deauth_${randomBytes(6).toString('hex')}`,
        object: 'event',
        api_version: STRIPE_API_VERSION,
        account: connected.accountId,
        created: Math.floor(Date.now() / 1000),
        data: { object: { id: 'ca_payrisk', object: 'application', name: 'payrisk' } },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type: 'account.application.deauthorized',
      });
      const answer = await post('/webhooks/stripe/connect', deauthorized, CONNECT_SECRET);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ received: true, duplicate: false });
      const [row] = await db.dataSource.query(`SELECT removed_at FROM accounts WHERE stripe_account_id = $1`, [connected.accountId]);
      expect(row.removed_at).not.toBeNull();
      await expect(app.get(AccountRuntimes).forAccount(connected.accountId)).rejects.toThrow('was removed');
      expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM clients WHERE stripe_account_id = $1`, [connected.accountId])).toEqual(clientsBefore);
      // Delivered again (Stripe retries): still a 2xx, nothing more to stop.
      expect((await post('/webhooks/stripe/connect', deauthorized, CONNECT_SECRET)).body).toEqual({ received: true, duplicate: true });
      const { event } = await connectedCustomerEvent('After the goodbye');
      const refused = await post('/webhooks/stripe/connect', JSON.stringify(event), CONNECT_SECRET);
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain('not connected to payrisk');
    });
  });
});
