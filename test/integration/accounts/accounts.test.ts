import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addAccount,
  findAccount,
  listAccounts,
  loadDataKey,
  markAccountRemoved,
  openAccountSecrets,
  purgeAccountData,
  resolveAccount,
  type AddAccountInput,
} from '../../../src/accounts';
import { DomainError } from '../../../src/common/errors';
import { ConfigError } from '../../../src/config';
import { RiskAssessmentService } from '../../../src/risk/risk-assessment.service';
import { startSandbox, type RunningSandbox, type SandboxAccountInfo } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { StripeSyncService } from '../../../src/stripe/sync/stripe-sync.service';
import { testConfig } from '../../support/test-config';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

const NOW = new Date('2026-11-20T12:00:00Z');

describe('added Stripe accounts (real PostgreSQL, the sandbox over HTTP)', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let a: SandboxAccountInfo;
  let b: SandboxAccountInfo;
  const dataKey = randomBytes(32);
  const stripeFor = (secretKey: string) => createStripeClient({ secretKey, apiBase: sandbox.url, maxNetworkRetries: 0 });
  const add = (input: AddAccountInput, key = dataKey) =>
    db.dataSource.transaction((manager) => addAccount(manager, input, { stripe: stripeFor(input.apiKey), dataKey: key, now: NOW, cwd: process.cwd() }));
  const domainErrorOf = async (run: Promise<unknown>): Promise<DomainError> => {
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
    return error;
  };

  beforeAll(async () => {
    [db, sandbox] = await Promise.all([createTestDatabase(), startSandbox({ port: 0, seed: 5, invoicesPerClient: 4, accounts: 2, now: NOW })]);
    [a, b] = sandbox.accounts;
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
    await db?.drop();
  });

  it('with no account added, resolves to the account of the environment, as payrisk always worked', async () => {
    expect(await resolveAccount(db.dataSource.manager)).toEqual({ source: 'environment' });
    const error = await domainErrorOf(resolveAccount(db.dataSource.manager, 'Acme'));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('no account is added yet');
  });

  it('adds an account by its key: the id comes from GET /v1/account, the key and webhook secret are stored sealed', async () => {
    const added = await add({ name: 'Acme Studio', apiKey: a.secretKey, webhookSecret: a.webhookSecret, ownerEmail: 'owner@acme.test' });
    expect(added).toEqual({
      stripeAccountId: a.accountId,
      name: 'Acme Studio',
      apiKeyHint: `sk_test_…${a.secretKey.slice(-4)}`,
      defaultCurrency: 'eur',
      created: true,
    });

    const [raw] = (await db.dataSource.query(
      `SELECT position(convert_to($1, 'UTF8') IN api_key_sealed) AS key_at, position(convert_to($2, 'UTF8') IN webhook_secret_sealed) AS secret_at,
              get_byte(api_key_sealed, 0) AS version, length(api_key_sealed) AS bytes FROM accounts WHERE stripe_account_id = $3`,
      [a.secretKey, a.webhookSecret, a.accountId],
    )) as { key_at: number; secret_at: number; version: number; bytes: number }[];
    expect(raw).toEqual({ key_at: 0, secret_at: 0, version: 1, bytes: 1 + 12 + 16 + a.secretKey.length });

    const row = (await findAccount(db.dataSource.manager, a.accountId))!;
    expect(row).toMatchObject({ name: 'Acme Studio', ownerEmail: 'owner@acme.test', policyFile: null, livemode: false, removedAt: null });
    expect(openAccountSecrets(row, { key: dataKey, source: 'test' })).toEqual({ apiKey: a.secretKey, webhookSecret: a.webhookSecret });
    expect(() => openAccountSecrets(row, { key: randomBytes(32), source: 'PAYRISK_SECRET_KEY' })).toThrow(
      /stored keys of account Acme Studio .* do not open with the data key from PAYRISK_SECRET_KEY/,
    );
  });

  it('with one account added, resolves to it by default, by id and by name (any case)', async () => {
    for (const requested of [undefined, a.accountId, 'acme studio']) {
      const resolved = await resolveAccount(db.dataSource.manager, requested);
      expect(resolved).toMatchObject({ source: 'added', account: { stripeAccountId: a.accountId } });
    }
  });

  it('refuses a key Stripe rejects, saying so and storing nothing', async () => {
    const error = await domainErrorOf(add({ name: 'Nobody', apiKey: 'sk_test_not_a_key_of_this_sandbox' }));
    expect(error.message).toMatch(/^Stripe rejected the key sk_test_…dbox \(Invalid API Key provided: .*\): copy the key again/);
    expect((await listAccounts(db.dataSource.manager)).map((r) => r.name)).toEqual(['Acme Studio']);
  });

  it('refuses a bad input, a bad policy file and a name another account has, before storing anything', async () => {
    expect((await domainErrorOf(add({ name: 'X', apiKey: 'pk_test_publishable' }))).message).toContain('apiKey: expected a Stripe secret or restricted key');
    expect((await domainErrorOf(add({ name: 'X', apiKey: b.secretKey, ownerEmail: 'not-an-email' }))).message).toContain('ownerEmail: expected an email');
    const badPolicy = join(mkdtempSync(join(tmpdir(), 'payrisk-policy-')), 'bad.yaml');
    writeFileSync(badPolicy, 'policies:\n  lateFee:\n    enabeld: true\n');
    expect((await domainErrorOf(add({ name: 'X', apiKey: b.secretKey, policyFile: badPolicy }))).message).toMatch(/^--config: .*enabeld: unknown key/s);
    const taken = await domainErrorOf(add({ name: 'ACME STUDIO', apiKey: b.secretKey }));
    expect(taken.code).toBe('conflict');
    expect(taken.message).toContain(`already used by account ${a.accountId}`);
    expect(await listAccounts(db.dataSource.manager)).toHaveLength(1);
  });

  it('with several accounts, refuses to pick one and lists them; adding again updates instead of duplicating', async () => {
    const policyFile = join(mkdtempSync(join(tmpdir(), 'payrisk-policy-')), 'b.yaml');
    writeFileSync(policyFile, 'detection:\n  graceDays: 5\n');
    expect((await add({ name: 'Bakery', apiKey: b.secretKey, policyFile })).created).toBe(true);
    const error = await domainErrorOf(resolveAccount(db.dataSource.manager));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('2 Stripe accounts are added; say which one with --account ID_OR_NAME');
    expect(error.message).toContain(`Acme Studio  ${a.accountId}`);
    expect(error.message).toContain(`Bakery  ${b.accountId}`);
    expect(await resolveAccount(db.dataSource.manager, 'Bakery')).toMatchObject({ account: { stripeAccountId: b.accountId, policyFile } });

    const again = await add({ name: 'Bakery & Co', apiKey: b.secretKey });
    expect(again.created).toBe(false);
    expect((await listAccounts(db.dataSource.manager)).map((r) => [r.name, r.policyFile])).toEqual([
      ['Acme Studio', null],
      ['Bakery & Co', null],
    ]);
  });

  it('a removed account is no longer chosen, by default or by name; adding it again brings it back', async () => {
    expect(await markAccountRemoved(db.dataSource.manager, b.accountId, NOW)).toBe(true);
    expect(await markAccountRemoved(db.dataSource.manager, b.accountId, NOW)).toBe(false);
    expect(await resolveAccount(db.dataSource.manager)).toMatchObject({ account: { stripeAccountId: a.accountId } });
    const error = await domainErrorOf(resolveAccount(db.dataSource.manager, b.accountId));
    expect(error.code).toBe('precondition_failed');
    expect(error.message).toContain('was removed on 2026-11-20');
    expect((await listAccounts(db.dataSource.manager, { includeRemoved: true })).map((r) => r.stripeAccountId).sort()).toEqual(
      [a.accountId, b.accountId].sort(),
    );
    expect((await add({ name: 'Bakery', apiKey: b.secretKey })).created).toBe(false);
    expect((await findAccount(db.dataSource.manager, b.accountId))?.removedAt).toBeNull();
  });

  it("purges one account's data from every table in one transaction, and only that account's", async () => {
    const config = testConfig();
    for (const account of [a, b]) await new StripeSyncService(db.dataSource, stripeFor(account.secretKey), account.accountId).backfill();
    await new RiskAssessmentService(db.dataSource, config.policy.detection).run(NOW, { full: true });
    // Rows that belong to the account through a client or an action, not a column of their own.
    const [clientA] = a.personas;
    const [{ id: actionId }] = (await db.dataSource.query(
      `INSERT INTO actions (kind, client_id, stripe_account_id, status, dedupe_key, proposed_at) VALUES ('work_pause', $1, $2, 'proposed', 'purge-test', $3) RETURNING id`,
      [clientA.customerId, a.accountId, NOW],
    )) as { id: string }[];
    await db.dataSource.query(`INSERT INTO action_audit (action_id, to_status, actor, at) VALUES ($1, 'proposed', 'system', $2)`, [actionId, NOW]);
    await db.dataSource.query(
      `INSERT INTO outbox_messages (kind, recipient, dedupe_key, client_id, subject, text, html) VALUES ('alert', 'o@x.test', 'purge-test', $1, 's', 't', 'h')`,
      [clientA.customerId],
    );

    const tables = (
      (await db.dataSource.query(
        `SELECT table_name FROM information_schema.columns WHERE table_schema = 'payrisk' AND column_name = 'stripe_account_id' ORDER BY 1`,
      )) as { table_name: string }[]
    ).map((r) => r.table_name);
    const countsOf = async (accountId: string) => {
      const counts: Record<string, number> = {};
      for (const table of tables)
        counts[table] = (
          (await db.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE stripe_account_id = $1`, [accountId])) as { n: number }[]
        )[0].n;
      const clientsOf = `SELECT id FROM clients WHERE stripe_account_id = '${accountId}'`;
      for (const [table, where] of [
        ['client_risk_latest', `client_id IN (${clientsOf})`],
        ['outbox_messages', `client_id IN (${clientsOf})`],
        ['action_audit', `action_id IN (SELECT id FROM actions WHERE stripe_account_id = '${accountId}')`],
      ])
        counts[table] = ((await db.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`)) as { n: number }[])[0].n;
      return counts;
    };
    const beforeA = await countsOf(a.accountId);
    const beforeB = await countsOf(b.accountId);
    for (const table of ['clients', 'invoices', 'risk_assessments', 'client_risk_latest', 'actions', 'action_audit', 'outbox_messages', 'accounts'])
      expect(beforeA[table]).toBeGreaterThan(0);

    const dryRun = await db.dataSource.transaction((m) => purgeAccountData(m, a.accountId, { dryRun: true }));
    const planned = Object.fromEntries(dryRun.map((t) => [t.table, t.rows]));
    for (const table of Object.keys(beforeA)) expect([table, planned[table] ?? 0]).toEqual([table, beforeA[table]]);
    expect(await countsOf(a.accountId)).toEqual(beforeA);

    // A failure half-way leaves everything in place: one transaction.
    await expect(
      db.dataSource.transaction(async (m) => {
        await purgeAccountData(m, a.accountId, { dryRun: false });
        throw new Error('crash after the deletes');
      }),
    ).rejects.toThrow('crash after the deletes');
    expect(await countsOf(a.accountId)).toEqual(beforeA);

    const done = await db.dataSource.transaction((m) => purgeAccountData(m, a.accountId, { dryRun: false }));
    expect(done).toEqual(dryRun);
    const afterA = await countsOf(a.accountId);
    expect(Object.entries(afterA).filter(([, n]) => n > 0)).toEqual([]);
    expect(await countsOf(b.accountId)).toEqual(beforeB);
    expect(await resolveAccount(db.dataSource.manager)).toMatchObject({ account: { stripeAccountId: b.accountId } });
  }, 60_000);
});

describe('the data key that seals stored Stripe keys', () => {
  it('is generated once under PAYRISK_HOME with mode 0600 and never overwritten', () => {
    const homeDir = join(mkdtempSync(join(tmpdir(), 'payrisk-home-')), 'nested');
    const first = loadDataKey({ homeDir });
    const path = join(homeDir, 'secret.key');
    expect(first).toMatchObject({ source: path });
    expect(first.key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'utf8');
    expect(loadDataKey({ homeDir }).key).toEqual(first.key);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('comes from PAYRISK_SECRET_KEY when set, and writes no file then', () => {
    const config = testConfig({ PAYRISK_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') });
    expect(loadDataKey(config)).toEqual({ key: Buffer.alloc(32, 9), source: 'PAYRISK_SECRET_KEY' });
    expect(() => statSync(join(config.homeDir, 'secret.key'))).toThrow();
  });

  it('refuses a key file others can read, or one that is not a key, saying what to do', () => {
    const homeDir = mkdtempSync(join(tmpdir(), 'payrisk-home-'));
    loadDataKey({ homeDir });
    chmodSync(join(homeDir, 'secret.key'), 0o644);
    expect(() => loadDataKey({ homeDir })).toThrow(ConfigError);
    expect(() => loadDataKey({ homeDir })).toThrow(/readable by others \(mode 644\): run `chmod 600/);
    chmodSync(join(homeDir, 'secret.key'), 0o600);
    writeFileSync(join(homeDir, 'secret.key'), 'short');
    expect(() => loadDataKey({ homeDir })).toThrow(/expected 32 bytes as base64 or 64 hex digits/);
  });
});
