import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../../src/common/clock';
import { environmentRuntime } from '../../../src/accounts/runtime/account-runtime';
import { demoPolicyFilePath, fixedAccountConfig } from '../../../src/config';
import { runForAccount } from '../../../src/database/account-scope';
import { dataSourceOptions, PAYRISK_SCHEMA } from '../../../src/database/data-source-options';
import { APP_ROLE, runAsOwner, scopeConnections } from '../../../src/database/scoped-connections';
import { RiskAlertProducer } from '../../../src/notifications/alerts/risk-alert.producer';
import { OutboxClientNotifier } from '../../../src/notifications/outbox/outbox-client-notifier';
import { OutboxOwnerNotifier } from '../../../src/notifications/outbox/outbox-owner-notifier';
import { OutboxService } from '../../../src/notifications/outbox/outbox.service';
import { PolicyRunner } from '../../../src/policies/policy-runner';
import { RiskAssessmentService } from '../../../src/risk/risk-assessment.service';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { createRequestBudget } from '../../../src/stripe/sync/request-budget/request-budget';
import { StripeSyncService } from '../../../src/stripe/sync/stripe-sync.service';
import { testConfig } from '../../support/test-config';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

/**
 * Isolation underneath (issue 18): row-level security holds the application's role
 * (`payrisk_app`) to the account its connection is set to. The tables are read from the
 * catalog, so a table a later migration adds is either classified below or fails here.
 */
const A = 'acct_isolation_aaaa';
const B = 'acct_isolation_bbbb';

/** Tables that are not one account's data, and why they stay unscoped. */
const NOT_PER_ACCOUNT: Record<string, string> = {
  accounts: 'the registry of accounts itself (resolving --account and the Connect callback read it before any scope)',
  web_sessions: "a person's browser session, which chooses among the accounts it may see",
  sign_in_codes: 'one-time sign-in links of the people using the dashboard',
  connect_oauth_states: 'OAuth states handed out before the account exists',
  migrations: "the owner's record of the schema (the application's role has no grant on it)",
  people: 'the people who sign in, each granted some accounts: read before the request knows its account',
  account_grants: "who may see which account: the guard reads them to choose the request's account",
  api_tokens: "the tokens' hashes: the guard resolves a token before it knows the account",
};

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Every base table of the schema, as the catalog lists it. */
async function schemaTables(db: TestDatabase): Promise<string[]> {
  const rows: { relname: string }[] = await db.dataSource.query(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY 1`,
    [PAYRISK_SCHEMA],
  );
  return rows.map((r) => r.relname);
}

/** One row in every per-account table for `account`, written as the owner in that account's scope. */
async function seedAccount(db: TestDatabase, account: string): Promise<void> {
  const tag = account.slice(-4);
  const client = `cus_${tag}`;
  const invoice = `in_${tag}`;
  await runForAccount(account, () =>
    db.dataSource.transaction(async (m) => {
      const q = (sql: string, params: unknown[] = []) => m.query(sql, params);
      await q(`INSERT INTO clients (id, stripe_account_id, name, stripe_created_at) VALUES ($1, $2, 'Client ' || $3, now())`, [client, account, tag]);
      await q(
        `INSERT INTO invoices (id, stripe_account_id, client_id, status, collection_method, currency, subtotal, total, amount_due, amount_paid, amount_remaining, stripe_created_at)
         VALUES ($1, $2, $3, 'open', 'send_invoice', 'eur', 1000, 1000, 1000, 0, 1000, now())`,
        [invoice, account, client],
      );
      await q(
        `INSERT INTO credit_notes (id, stripe_account_id, client_id, invoice_id, status, type, currency, amount, reduces_owed, stripe_created_at)
         VALUES ($1, $2, $3, $4, 'issued', 'pre_payment', 'eur', 100, true, now())`,
        [`cn_${tag}`, account, client, invoice],
      );
      await q(
        `INSERT INTO disputes (id, stripe_account_id, client_id, invoice_id, currency, amount, reason, status, stripe_created_at)
         VALUES ($1, $2, $3, $4, 'eur', 1000, 'fraudulent', 'needs_response', now())`,
        [`dp_${tag}`, account, client, invoice],
      );
      await q(
        `INSERT INTO discount_requests (stripe_account_id, client_id, currency, amount, requested_at, created_by) VALUES ($1, $2, 'eur', 50, now(), 'cli')`,
        [account, client],
      );
      await q(
        `INSERT INTO invoice_payments (id, stripe_account_id, invoice_id, client_id, status, currency, stripe_created_at) VALUES ($1, $2, $3, $4, 'open', 'eur', now())`,
        [`inpay_${tag}`, account, invoice, client],
      );
      await q(
        `INSERT INTO subscriptions (id, stripe_account_id, client_id, status, collection_method, currency, stripe_created_at, observed_at)
         VALUES ($1, $2, $3, 'active', 'send_invoice', 'eur', now(), now())`,
        [`sub_${tag}`, account, client],
      );
      await q(`INSERT INTO processed_events (id, stripe_account_id, type, stripe_created_at) VALUES ($1, $2, 'invoice.created', now())`, [
        `evt_p_${tag}`,
        account,
      ]);
      await q(`INSERT INTO sync_cursors (stripe_account_id, stream) VALUES ($1, 'events')`, [account]);
      await q(`INSERT INTO webhook_inbox (id, stripe_account_id, type, stripe_created_at, payload) VALUES ($1, $2, 'invoice.created', 0, '{}')`, [
        `evt_i_${tag}`,
        account,
      ]);
      // Its trigger writes client_risk_latest (with the assessment's account).
      const [assessment]: { id: string }[] = await q(
        `INSERT INTO risk_assessments (run_id, client_id, stripe_account_id, assessed_at, score, level, metrics, evidence, reasons)
         VALUES ($1, $2, $3, now(), 10, 'ok', '{}', '{}', '[]') RETURNING id`,
        [randomUUID(), client, account],
      );
      const [action]: { id: string }[] = await q(
        `INSERT INTO actions (kind, client_id, stripe_account_id, status, dedupe_key, proposed_at) VALUES ('work_pause', $1, $2, 'proposed', $3, now()) RETURNING id`,
        [client, account, `work_pause:${client}:${invoice}`],
      );
      // The tables given the column by migration 1764700000000 take the scope's account by default.
      await q(`INSERT INTO action_audit (action_id, to_status, actor, at) VALUES ($1, 'proposed', 'system', now())`, [action.id]);
      await q(`INSERT INTO alert_watermarks (client_id, assessment_id, assessed_at) VALUES ($1, $2, now())`, [client, assessment.id]);
      // The same dedupe key in both accounts: unique per account, not across them.
      await q(
        `INSERT INTO outbox_messages (kind, recipient, dedupe_key, subject, text, html) VALUES ('digest', 'owner@x.test', 'digest:2026-12-01', 's', 't', 'h')`,
      );
      await q(`INSERT INTO dashboard_months (month, fresh) VALUES ('2026-11-01', true)`);
      await q(`INSERT INTO dashboard_month_figures (month, currency, receivables, billed) VALUES ('2026-11-01', 'eur', 1000, 1000)`);
    }),
  );
}

describe('row-level security: the application role sees and changes one account at a time', () => {
  let db: TestDatabase;
  /** The application's connections (as the server and the CLI open them), one pooled connection so each test reuses it. */
  let app: DataSource;
  let perAccount: string[];

  /** Rows of `table` for `account` as the owner sees them (outside row-level security). */
  const ownerCount = async (table: string, account: string) =>
    ((await db.dataSource.query(`SELECT count(*)::int AS n FROM ${quoted(table)} WHERE stripe_account_id = $1`, [account])) as { n: number }[])[0].n;
  /** What the application's role sees of `table`: rows per account. */
  const appSees = async (table: string) =>
    Object.fromEntries(
      ((await app.query(`SELECT stripe_account_id AS account, count(*)::int AS n FROM ${quoted(table)} GROUP BY 1`)) as { account: string; n: number }[]).map(
        (r) => [r.account, r.n],
      ),
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    const tables = await schemaTables(db);
    perAccount = tables.filter((t) => !(t in NOT_PER_ACCOUNT));
    await seedAccount(db, A);
    await seedAccount(db, B);
    const options = dataSourceOptions(db.url);
    app = scopeConnections(await new DataSource({ ...options, extra: { ...(options.extra as object), max: 1 } } as typeof options).initialize(), {
      role: 'app',
    });
  });
  afterAll(async () => {
    await app?.destroy();
    await db?.drop();
  });

  it('forces row-level security with the account policy on every table but the few that are not per account', async () => {
    const rows: { relname: string; rls: boolean; forced: boolean; policies: { qual: string; check: string; roles: string[] }[]; account_not_null: boolean }[] =
      await db.dataSource.query(
        `SELECT c.relname, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
                coalesce((SELECT json_agg(json_build_object('qual', p.qual, 'check', p.with_check, 'roles', p.roles)) FROM pg_policies p
                           WHERE p.schemaname = n.nspname AND p.tablename = c.relname), '[]') AS policies,
                EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'stripe_account_id' AND a.attnotnull) AS account_not_null
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY 1`,
        [PAYRISK_SCHEMA],
      );
    expect(perAccount.length).toBeGreaterThanOrEqual(18);
    const policy = "(stripe_account_id = current_setting('payrisk.account_id'::text, true))";
    for (const row of rows.filter((r) => perAccount.includes(r.relname))) {
      expect({ table: row.relname, rls: row.rls, forced: row.forced, accountNotNull: row.account_not_null, policies: row.policies }).toEqual({
        table: row.relname,
        rls: true,
        forced: true,
        accountNotNull: true,
        policies: [{ qual: policy, check: policy, roles: ['public'] }],
      });
    }
  });

  it('runs as a role that is no superuser, cannot bypass row-level security and owns nothing', async () => {
    const [role]: { rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean; owned: number }[] = await db.dataSource.query(
      `SELECT rolsuper, rolbypassrls, rolcanlogin, (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owned FROM pg_roles r WHERE rolname = $1`,
      [APP_ROLE],
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: false, owned: 0 });
    const [who]: { current_user: string; session_user: string }[] = await app.query(`SELECT current_user, session_user`);
    expect(who.current_user).toBe(APP_ROLE);
    expect(who.session_user).not.toBe(APP_ROLE);
  });

  it('without an account set, sees nothing in any per-account table and cannot insert', async () => {
    for (const table of perAccount) expect({ table, sees: await appSees(table) }).toEqual({ table, sees: {} });
    await expect(app.query(`INSERT INTO clients (id, stripe_account_id, stripe_created_at) VALUES ('cus_none', $1, now())`, [A])).rejects.toThrow(
      /row-level security/,
    );
    // A table whose account column defaults to the scope's: no scope, no account, no row.
    await expect(app.query(`INSERT INTO dashboard_months (month, fresh) VALUES ('2026-10-01', true)`)).rejects.toThrow(/row-level security/);
    expect(await ownerCount('clients', A)).toBe(1);
  });

  it("with account A set, sees exactly A's rows in every per-account table, and B's with B", async () => {
    for (const account of [A, B]) {
      for (const table of perAccount) {
        const expected = { [account]: await ownerCount(table, account) };
        expect(expected[account]).toBeGreaterThan(0);
        expect({ table, sees: await runForAccount(account, () => appSees(table)) }).toEqual({ table, sees: expected });
      }
    }
  });

  it("in A's scope, cannot update, delete, insert or move rows of B", async () => {
    const before = Object.fromEntries(await Promise.all(perAccount.map(async (t) => [t, await ownerCount(t, B)] as const)));
    await runForAccount(A, async () => {
      for (const table of perAccount) {
        const changed = async (sql: string) =>
          ((await app.query(`WITH x AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM x`, [B])) as { n: number }[])[0].n;
        expect({ table, updated: await changed(`UPDATE ${quoted(table)} SET stripe_account_id = stripe_account_id WHERE stripe_account_id = $1`) }).toEqual({
          table,
          updated: 0,
        });
      }
      for (const table of ['dashboard_month_figures', 'action_audit', 'alert_watermarks', 'outbox_messages', 'client_risk_latest', 'webhook_inbox']) {
        const [{ n }]: { n: number }[] = await app.query(
          `WITH x AS (DELETE FROM ${quoted(table)} WHERE stripe_account_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM x`,
          [B],
        );
        expect({ table, deleted: n }).toEqual({ table, deleted: 0 });
      }
      await expect(app.query(`INSERT INTO clients (id, stripe_account_id, stripe_created_at) VALUES ('cus_sneaky', $1, now())`, [B])).rejects.toThrow(
        /row-level security/,
      );
      await expect(app.query(`UPDATE clients SET stripe_account_id = $1 WHERE id = 'cus_aaaa'`, [B])).rejects.toThrow(/row-level security/);
      // An audit row for B's action (its id known somehow): refused, neither filed under A nor added to B's history.
      const [bAction]: { id: string }[] = await db.dataSource.query(`SELECT id FROM actions WHERE stripe_account_id = $1`, [B]);
      await expect(app.query(`INSERT INTO action_audit (action_id, to_status, actor, at) VALUES ($1, 'rejected', 'api', now())`, [bAction.id])).rejects.toThrow(
        /foreign key/,
      );
    });
    const after = Object.fromEntries(await Promise.all(perAccount.map(async (t) => [t, await ownerCount(t, B)] as const)));
    expect(after).toEqual(before);
    expect(await ownerCount('action_audit', A)).toBe(1);
  });

  it('cannot switch row-level security off, disable or force it away, truncate, or read the migrations', async () => {
    await runForAccount(A, () =>
      app.transaction(async (m) => {
        await m.query(`SET LOCAL row_security = off`);
        await expect(m.query(`SELECT count(*) FROM clients`)).rejects.toThrow(/row-level security/);
      }),
    );
    await runForAccount(A, async () => {
      await expect(app.query(`ALTER TABLE clients DISABLE ROW LEVEL SECURITY`)).rejects.toThrow(/must be owner/);
      await expect(app.query(`ALTER TABLE clients NO FORCE ROW LEVEL SECURITY`)).rejects.toThrow(/must be owner/);
      await expect(app.query(`DROP POLICY account_isolation ON clients`)).rejects.toThrow(/must be owner/);
      await expect(app.query(`TRUNCATE clients`)).rejects.toThrow(/permission denied/);
      await expect(app.query(`SELECT count(*) FROM migrations`)).rejects.toThrow(/permission denied/);
      await expect(app.query(`ALTER ROLE ${APP_ROLE} BYPASSRLS`)).rejects.toThrow(/permission denied/);
    });
    expect(await ownerCount('clients', A)).toBe(1);
  });

  it('one pooled connection serving A, then B, then no one, then the owner, carries each its own setting', async () => {
    const clients = async () => ((await app.query(`SELECT id FROM clients ORDER BY id`)) as { id: string }[]).map((r) => r.id);
    expect(await runForAccount(A, clients)).toEqual(['cus_aaaa']);
    expect(await runForAccount(B, clients)).toEqual(['cus_bbbb']);
    expect(await clients()).toEqual([]);
    expect(await runForAccount(A, clients)).toEqual(['cus_aaaa']);
    // Migrations' way in: the connecting user (here a superuser, outside row-level security).
    expect(await runAsOwner(clients)).toEqual(['cus_aaaa', 'cus_bbbb']);
    expect(await clients()).toEqual([]);
    // A scope nested in another ends with it.
    expect(await runForAccount(A, async () => [await runForAccount(B, clients), await clients()])).toEqual([['cus_bbbb'], ['cus_aaaa']]);
  });
});

describe('the whole pipeline for account A leaves account B untouched', () => {
  let db: TestDatabase;
  let app: DataSource;
  let sandbox: RunningSandbox;

  /** Every per-account row of `account`, as the owner reads it, table by table. */
  async function snapshot(account: string): Promise<Record<string, unknown[]>> {
    const tables = (await schemaTables(db)).filter((t) => !(t in NOT_PER_ACCOUNT));
    const result: Record<string, unknown[]> = {};
    for (const table of tables) {
      result[table] = await db.dataSource.query(`SELECT to_jsonb(t) AS row FROM ${quoted(table)} t WHERE stripe_account_id = $1 ORDER BY to_jsonb(t)::text`, [
        account,
      ]);
    }
    return result;
  }

  /** sync → detect → policies → alerts for one account, with the application's connections (as a job or a command runs them). */
  async function pipeline(account: { accountId: string; secretKey: string }): Promise<{ assessed: number }> {
    const stripe = createStripeClient({ secretKey: account.secretKey, apiBase: sandbox.url, maxNetworkRetries: 0 });
    // The demo's policies (fees, pauses, price increases) on the demo businesses: every step writes something.
    const config = testConfig({ PAYRISK_CONFIG: demoPolicyFilePath() });
    const clock = new FixedClock(sandbox.now());
    return runForAccount(account.accountId, async () => {
      await new StripeSyncService(app, stripe, account.accountId).backfill({ full: true });
      const detection = await new RiskAssessmentService(app, config.policy.detection).run(clock.now(), { full: true });
      const outbox = new OutboxService(app, clock);
      const connection = { stripe, accountId: account.accountId, budget: createRequestBudget(Infinity), close: async () => undefined };
      const runtime = environmentRuntime(connection, config, app);
      await new PolicyRunner({
        dataSource: app,
        account: () => Promise.resolve(runtime),
        notifier: new OutboxOwnerNotifier(outbox, fixedAccountConfig(config)),
        clientNotifier: new OutboxClientNotifier(outbox),
        clock,
        config,
        linkSecret: 'test-link-secret',
      }).run();
      await new RiskAlertProducer(app, outbox, fixedAccountConfig(config), clock).run();
      return { assessed: detection.assessed };
    });
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    app = scopeConnections(await new DataSource(dataSourceOptions(db.url)).initialize(), { role: 'app' });
    sandbox = await startSandbox({ port: 0, seed: 'demo', accounts: 2 });
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
    await app?.destroy();
    await db?.drop();
  });

  it("writes A's ledger, assessments, actions and emails for A's clients only, and not one row of B's changes", async () => {
    const [a, b] = sandbox.accounts;
    await pipeline(b);
    const bBefore = await snapshot(b.accountId);
    expect(bBefore.clients.length).toBe(b.personas.length);
    expect(bBefore.actions.length).toBeGreaterThan(0);

    const run = await pipeline(a);
    // Detection for A assessed A's clients, none of B's.
    expect(run.assessed).toBe(a.personas.length);
    const aRows = await snapshot(a.accountId);
    expect(aRows.clients.length).toBe(a.personas.length);
    expect(aRows.invoices.length).toBeGreaterThan(0);
    expect(aRows.risk_assessments.length).toBe(a.personas.length);
    expect(aRows.client_risk_latest.length).toBe(a.personas.length);
    expect(aRows.actions.length).toBeGreaterThan(0);
    expect(aRows.outbox_messages.length).toBeGreaterThan(0);
    const aClients = new Set(a.personas.map((p) => p.customerId));
    const [stray]: { n: number }[] = await db.dataSource.query(
      `SELECT (SELECT count(*) FROM risk_assessments WHERE stripe_account_id = $1 AND NOT client_id = ANY($2))
            + (SELECT count(*) FROM actions WHERE stripe_account_id = $1 AND NOT client_id = ANY($2))
            + (SELECT count(*) FROM outbox_messages WHERE stripe_account_id = $1 AND client_id IS NOT NULL AND NOT client_id = ANY($2)) AS n`,
      [a.accountId, [...aClients]],
    );
    expect(Number(stray.n)).toBe(0);
    expect(await snapshot(b.accountId)).toEqual(bBefore);
  });
});
