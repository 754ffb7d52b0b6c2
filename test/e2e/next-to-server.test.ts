import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type Stripe from 'stripe';
import { findFreePort } from '../../src/database/free-port';
import { createStripeClient } from '../../src/stripe/stripe-client.factory';
import { assertBuilt, CLI, freshWorkdir, runCliAsync, spawnCli, type ServerProcess } from '../support/cli-process';
import { eventually } from '../support/eventually';

beforeAll(assertBuilt);
const execFileAsync = promisify(execFile);

interface ActionJson {
  id: string;
  kind: string;
  status: string;
  customerId: string;
  amount: { amount: number } | null;
  stripeIds: Record<string, string>;
}

/**
 * Every command of the README next to `npm start` on embedded defaults (no PORT, no
 * DATABASE_URL given to the commands), then the same commands once the server has stopped:
 * those that would act on a throwaway sandbox refuse and change nothing.
 */
describe('commands next to a running payrisk start, and after it stopped', () => {
  let cwd: string;
  let home: string;
  let server: ServerProcess;
  let base: string;
  let token: string;
  let stripe: Stripe;
  let sandboxUrl: string;
  const cli = (args: string[], env: Record<string, string> = {}) => runCliAsync(args, { cwd, env: { LOG_LEVEL: 'warn', ...env } });
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    cwd = freshWorkdir();
    home = join(cwd, '.payrisk');
    const port = await findFreePort();
    base = `http://127.0.0.1:${port}`;
    server = spawnCli(['start'], cwd, { PORT: String(port) });
    await eventually(
      async () => server.output(),
      (out) => out.includes('Move its clock') || server.child.exitCode !== null,
      'the start-up summary',
      90_000,
    );
    if (server.child.exitCode !== null) throw new Error(`payrisk start exited:\n${server.output()}`);
    token = readFileSync(join(home, 'api-token'), 'utf8').trim();
    const sandbox = await api<{ url: string; secretKey: string }>('/api/sandbox');
    sandboxUrl = sandbox.url;
    stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url });
  }, 120_000);
  afterAll(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
  });

  it('records its PostgreSQL, HTTP server and sandbox in .payrisk/runtime.json, readable only by its owner', () => {
    const file = join(home, 'runtime.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({
      pid: server.child.pid,
      http: { url: base },
      database: { url: expect.stringMatching(/^postgres:\/\/.*@127\.0\.0\.1:\d+\/payrisk$/), embedded: true },
      sandbox: { url: sandboxUrl, secretKey: expect.stringMatching(/^sk_test_/), accountId: expect.stringMatching(/^acct_/) },
    });
  });

  it.each([
    [['actions', 'list', '--json']],
    [['detect', '--json']],
    [['report', 'aging', '--format', 'json']],
    [['report', 'fees', '--format', 'csv']],
    [['sync']],
    [['emails', 'preview', 'digest']],
    [['policies', 'run', '--dry-run']],
    [['migrate']],
  ])(
    'payrisk %j works next to the server',
    async (args) => {
      const { status, stdout, stderr } = await cli(args);
      expect({ status, stderr }).toEqual({ status: 0, stderr: expect.not.stringContaining('undefined') });
      expect(stdout.length).toBeGreaterThan(0);
    },
    60_000,
  );

  it('login-link finds the server without PORT and prints a sign-in link that signs in once', async () => {
    const { status, stdout, stderr } = await cli(['login-link']);
    expect({ status, stderr: stderr.includes('undefined') }).toEqual({ status: 0, stderr: false });
    const code = /\/login\?code=([A-Za-z0-9_-]+)/.exec(stdout)?.[1];
    expect(code).toBeDefined();
    const signIn = () => fetch(`${base}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) });
    expect((await signIn()).status).toBe(200);
    expect((await signIn()).status).toBeGreaterThanOrEqual(400);
  });

  it("discount-requests add logs the request in the server's ledger", async () => {
    const [client] = await api<{ customerId: string }[]>('/api/clients');
    const { status, stdout, stderr } = await cli([
      'discount-requests',
      'add',
      client.customerId,
      '--amount',
      '15.00',
      '--currency',
      'eur',
      '--note',
      'asked on the phone',
      '--force',
    ]); // --force: whatever this client is billed in
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toContain(`Logged discount request`);
  }, 60_000);

  it("actions approve applies the fee in the server's sandbox, where the official client finds it", async () => {
    const proposed = await api<ActionJson[]>('/api/actions?kind=late_fee&status=proposed');
    expect(proposed.length).toBeGreaterThan(1);
    const fee = proposed[0];
    const { status, stdout, stderr } = await cli(['actions', 'approve', fee.id]);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    // The client by name, its id in brackets.
    const { name } = await api<{ name: string }>(`/api/clients/${fee.customerId}`);
    expect(stdout).toContain(`Action ${fee.id} (late_fee for ${name} (${fee.customerId})) is now applied`);
    const applied = await api<ActionJson>(`/api/actions/${fee.id}`);
    expect(applied.status).toBe('applied');
    const item = await stripe.invoiceItems.retrieve(applied.stripeIds.invoiceItem);
    expect(item).toMatchObject({ customer: fee.customerId, amount: fee.amount?.amount, metadata: expect.objectContaining({ payrisk_action_id: fee.id }) });
  }, 60_000);

  it('names the holder of the embedded PostgreSQL when the server cannot be found, instead of "undefined"', async () => {
    const file = join(home, 'runtime.json');
    renameSync(file, `${file}.hidden`);
    try {
      const { status, stderr } = await cli(['actions', 'list']);
      expect(status).toBe(1);
      expect(stderr).toMatch(
        /^payrisk: the embedded PostgreSQL in \.payrisk\/pgdata is in use by another process \(pid \d+\): stop it, or run this command next to `payrisk start`/m,
      );
      expect(stderr).not.toContain('undefined');
    } finally {
      renameSync(`${file}.hidden`, file);
    }
  }, 60_000);

  it("sandbox advance finds the server without PORT, and report aging is then as of the sandbox's day", async () => {
    const advanced = await cli(['sandbox', 'advance', '30d']);
    expect(advanced).toEqual({ status: 0, stdout: expect.stringMatching(/Sandbox time is now \d{4}-\d{2}-\d{2}T/), stderr: '' });
    const sandboxDay = (await api<{ now: string }>('/api/sandbox')).now.slice(0, 10);
    expect(sandboxDay > new Date(Date.now() + 29 * 86_400_000).toISOString().slice(0, 10)).toBe(true);

    const { status, stdout, stderr } = await cli(['report', 'aging', '--format', 'json']);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect((JSON.parse(stdout) as { asOf: string }).asOf).toBe(sandboxDay);
  }, 120_000);

  describe('after the server stopped (a sandbox ledger with no sandbox running)', () => {
    let proposedFee: ActionJson;
    let appliedFee: ActionJson;

    /** Audit rows in the ledger, read through the embedded cluster in a child process (jest cannot load the ESM-only package). */
    const auditRows = async (): Promise<number> => {
      const script = `
        const { EmbeddedDatabase } = require(${JSON.stringify(join(CLI, '..', 'database', 'embedded-postgres.js'))});
        const { Client } = require('pg');
        (async () => {
          const database = new EmbeddedDatabase(${JSON.stringify(home)});
          const client = new Client({ connectionString: await database.start() });
          try {
            await client.connect();
            process.stdout.write((await client.query('SELECT count(*) AS n FROM action_audit')).rows[0].n);
          } finally {
            await client.end().catch(() => undefined);
            await database.stop();
          }
        })().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });`;
      const { stdout } = await execFileAsync(process.execPath, ['-e', script], { cwd: resolve(__dirname, '..', '..') });
      return Number(stdout);
    };

    beforeAll(async () => {
      proposedFee = (await api<ActionJson[]>('/api/actions?kind=late_fee&status=proposed'))[0];
      appliedFee = (await api<ActionJson[]>('/api/actions?kind=late_fee&status=applied'))[0];
      expect(proposedFee && appliedFee).toBeTruthy();
      server.child.kill('SIGINT');
      expect(await server.exited).toBe(0);
    }, 60_000);

    it('the runtime file went with the server', () => {
      expect(existsSync(join(home, 'runtime.json'))).toBe(false);
    });

    it('approve, waive, policies run and sync refuse, say why and what to do, and change nothing', async () => {
      const before = await auditRows();
      for (const args of [['actions', 'approve', proposedFee.id], ['actions', 'waive', appliedFee.id], ['policies', 'run'], ['sync'], ['sync', '--full']]) {
        const { status, stdout, stderr } = await cli(args);
        expect({ args, status, stdout }).toEqual({ args, status: 1, stdout: '' });
        expect(stderr).toContain(
          `payrisk ${args.slice(0, args[0] === 'actions' ? 2 : undefined).join(' ')} refused: this ledger is on the built-in Stripe sandbox`,
        );
        expect(stderr).toContain('Nothing was changed.');
        expect(stderr).toContain('Start `npm start` (or `payrisk start`) first');
      }
      const list = await cli(['actions', 'list', '--json']);
      expect(list.status).toBe(0);
      const byId = new Map((JSON.parse(list.stdout) as ActionJson[]).map((a) => [a.id, a]));
      expect(byId.get(proposedFee.id)?.status).toBe('proposed');
      expect(byId.get(appliedFee.id)?.status).toBe('applied');
      expect(await auditRows()).toBe(before);
    }, 180_000);

    it('commands that need no Stripe still work on their own embedded PostgreSQL', async () => {
      for (const args of [
        ['report', 'aging', '--format', 'json'],
        ['detect', '--json'],
        ['policies', 'run', '--dry-run', '--json'],
      ]) {
        const { status, stderr } = await cli(args);
        expect({ args, status, stderr }).toEqual({ args, status: 0, stderr: '' });
      }
    }, 120_000);

    it('a runtime file left by a killed server is ignored', async () => {
      const dead = spawnSync(process.execPath, ['-e', '']).pid;
      writeFileSync(
        join(home, 'runtime.json'),
        JSON.stringify({
          pid: dead,
          startedAt: new Date().toISOString(),
          http: { url: 'http://127.0.0.1:9' },
          database: { url: 'postgres://nobody:x@127.0.0.1:9/payrisk', embedded: true },
        }),
        { mode: 0o600 },
      );
      const list = await cli(['actions', 'list', '--json']);
      expect({ status: list.status, stderr: list.stderr }).toEqual({ status: 0, stderr: '' });
      expect((JSON.parse(list.stdout) as ActionJson[]).length).toBeGreaterThan(0);

      const advance = await cli(['sandbox', 'advance', '1d']);
      expect(advance.status).toBe(1);
      expect(advance.stderr).toMatch(/^payrisk: no payrisk server is running on .*: start it with `npm start`/m);
    }, 60_000);
  });
});

describe('errors name their cause', () => {
  it('an unreachable DATABASE_URL says what failed, not "undefined" or nothing', async () => {
    const port = await findFreePort();
    const { status, stderr } = await runCliAsync(['actions', 'list'], { env: { DATABASE_URL: `postgres://u:p@localhost:${port}/x`, LOG_LEVEL: 'silent' } });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^payrisk: .*ECONNREFUSED/m);
    expect(stderr).not.toContain('undefined');
  }, 30_000);

  it('sandbox advance with no server says so and how to start one', async () => {
    const { status, stderr } = await runCliAsync(['sandbox', 'advance', '7d']);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^payrisk: no payrisk server is running on .*\.payrisk .*start it with `npm start`/m);
  }, 30_000);
});
