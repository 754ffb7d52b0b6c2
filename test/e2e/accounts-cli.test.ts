import { statSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort } from '../../src/database/free-port';
import { createStripeClient } from '../../src/stripe/stripe-client.factory';
import { assertBuilt, freshWorkdir, runCli, spawnCli, type ServerProcess } from '../support/cli-process';
import { eventually } from '../support/eventually';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * `payrisk accounts …` as a user runs it: the built CLI on a real PostgreSQL (DATABASE_URL),
 * asking a `payrisk sandbox --accounts 2` of its own (STRIPE_API_BASE) which account a key belongs to.
 */
beforeAll(assertBuilt);

interface PrintedAccount {
  accountId: string;
  secretKey: string;
  webhookSecret: string;
}

describe('payrisk accounts (built CLI, real PostgreSQL, payrisk sandbox --accounts 2)', () => {
  let db: TestDatabase;
  let sandbox: ServerProcess;
  let apiBase: string;
  let accounts: PrintedAccount[];
  let env: Record<string, string>;
  const cwd = freshWorkdir();
  const payrisk = (...args: string[]) => runCli(['accounts', ...args], { cwd, env });

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await findFreePort();
    sandbox = spawnCli(['sandbox', '--port', String(port), '--seed', '3', '--accounts', '2'], freshWorkdir(), {});
    const output = await eventually(
      () => {
        if (sandbox.child.exitCode !== null) throw new Error(`payrisk sandbox exited early:\n${sandbox.output()}`);
        return Promise.resolve(sandbox.output());
      },
      (text) => text.includes('Press Ctrl-C to stop.'),
      'payrisk sandbox --accounts 2 to print its accounts',
      30_000,
    );
    apiBase = /^\s*STRIPE_API_BASE=(\S+)\s*$/m.exec(output)![1];
    accounts = [...output.matchAll(/^\s+\d+\. (acct_\w+)\s+(sk_test_\w+)\s+(whsec_\w+)\s+\(3 clients\)$/gm)].map(([, accountId, secretKey, webhookSecret]) => ({
      accountId,
      secretKey,
      webhookSecret,
    }));
    env = { DATABASE_URL: db.url, STRIPE_API_BASE: apiBase, PAYRISK_HOME: join(cwd, 'home') };
  }, 60_000);
  afterAll(async () => {
    if (sandbox && sandbox.child.exitCode === null) {
      sandbox.child.kill('SIGINT');
      await sandbox.exited;
    }
    await db?.drop();
  });

  it('payrisk sandbox --accounts 2 prints two accounts whose keys GET /v1/account tells apart', async () => {
    expect(accounts).toHaveLength(2);
    expect(accounts[0].secretKey).not.toBe(accounts[1].secretKey);
    for (const account of accounts) {
      const stripe = createStripeClient({ secretKey: account.secretKey, apiBase, maxNetworkRetries: 0 });
      expect((await stripe.accounts.retrieveCurrent()).id).toBe(account.accountId);
    }
  });

  it('adds, lists, shows, removes and purges accounts, never printing a key', () => {
    const printed: string[] = [];
    const run = (...args: string[]) => {
      const result = payrisk(...args);
      printed.push(result.stdout, result.stderr);
      return result;
    };
    const [a, b] = accounts;

    expect(run('list').stdout).toContain('No Stripe accounts added: payrisk works on the one account of STRIPE_SECRET_KEY');
    expect(JSON.parse(run('show', '--json').stdout)).toEqual({ source: 'environment' });

    const added = run('add', '--name', 'Acme Studio', '--key', a.secretKey, '--webhook-secret', a.webhookSecret, '--owner-email', 'owner@acme.test');
    expect(added.status).toBe(0);
    expect(added.stdout).toContain(`Added account Acme Studio (${a.accountId}), key sk_test_…${a.secretKey.slice(-4)}, currency eur`);
    expect(statSync(join(env.PAYRISK_HOME, 'secret.key')).mode & 0o777).toBe(0o600);

    const rejected = run('add', '--name', 'Nobody', '--key', 'sk_test_unknown_to_the_sandbox');
    expect(rejected.status).toBe(1);
    expect(rejected.stderr).toContain('Stripe rejected the key sk_test_…dbox');

    expect(run('add', '--name', 'Bakery', '--key', b.secretKey).status).toBe(0);
    const list = run('list');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${a.accountId}\\s+Acme Studio\\s+sk_test_…\\w{4}\\s+owner@acme.test\\s+\\(default\\)\\s+eur\\s+active$`, 'm'));
    expect(list.stdout).toMatch(new RegExp(`^${b.accountId}\\s+Bakery\\s+`, 'm'));
    const json = JSON.parse(run('list', '--json').stdout) as { id: string; name: string; key: string; webhookSecret: boolean }[];
    expect(json.map(({ id, name, webhookSecret }) => ({ id, name, webhookSecret }))).toEqual([
      { id: a.accountId, name: 'Acme Studio', webhookSecret: true },
      { id: b.accountId, name: 'Bakery', webhookSecret: false },
    ]);

    // Several accounts: a command given no --account names them instead of choosing.
    const ambiguous = run('show');
    expect(ambiguous.status).toBe(1);
    expect(ambiguous.stderr).toContain('2 Stripe accounts are added; say which one with --account ID_OR_NAME');
    expect(ambiguous.stderr).toContain(`Bakery  ${b.accountId}`);
    expect(JSON.parse(run('show', '--account', 'bakery', '--json').stdout)).toMatchObject({ source: 'added', id: b.accountId });

    // Every one-account command does the same, and with --account works for that account alone.
    const cli = (...args: string[]) => {
      const result = runCli(args, { cwd, env });
      printed.push(result.stdout, result.stderr);
      return result;
    };
    const unnamed = cli('sync');
    expect(unnamed.status).toBe(1);
    expect(unnamed.stderr).toContain('2 Stripe accounts are added; say which one with --account ID_OR_NAME');
    expect(unnamed.stderr).toContain(`Acme Studio  ${a.accountId}`);
    const synced = cli('sync', '--account', 'Acme Studio');
    expect(synced.status).toBe(0);
    expect(synced.stdout).toMatch(new RegExp(`^Backfill done for Acme Studio \\(${a.accountId}\\): customers 3,`, 'm'));
    const detected = JSON.parse(cli('detect', '--json', '--account', a.accountId).stdout) as { customerId: string }[];
    expect(detected).toHaveLength(3);

    const removed = run('remove', 'Bakery');
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain(`Removed account Bakery (${b.accountId}): no work runs for it any more`);
    expect(run('list').stdout).not.toContain(b.accountId);
    expect(run('list', '--all').stdout).toMatch(new RegExp(`^${b.accountId}\\s+Bakery.*removed \\d{4}-\\d{2}-\\d{2}$`, 'm'));
    expect(JSON.parse(run('show', '--json').stdout)).toMatchObject({ id: a.accountId });

    // --purge without --yes: what would go, and nothing gone.
    const preview = run('remove', b.accountId, '--purge');
    expect(preview.status).toBe(1);
    expect(preview.stdout).toMatch(/^accounts\s+1$/m);
    expect(preview.stderr).toContain('Nothing was deleted.');
    expect(preview.stderr).toContain(`payrisk accounts remove ${b.accountId} --purge --yes`);
    expect(run('list', '--all').stdout).toContain(b.accountId);

    const purged = run('remove', b.accountId, '--purge', '--yes');
    expect(purged.status).toBe(0);
    expect(purged.stdout).toContain(`Purged account Bakery (${b.accountId})`);
    expect(run('list', '--all', '--json').stdout).not.toContain(b.accountId);

    for (const text of printed) for (const secret of accounts.flatMap((x) => [x.secretKey, x.webhookSecret])) expect(text).not.toContain(secret);
  }, 240_000);
});
