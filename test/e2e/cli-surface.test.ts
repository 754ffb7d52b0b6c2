import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { migrations } from '../../migrations';
import { findFreePort } from '../../src/database/free-port';
import { assertBuilt, freshWorkdir, postgresProcessesFor, runCli, serverLog, spawnCli, waitForHealth, type ServerProcess } from '../support/cli-process';
import { eventually } from '../support/eventually';

beforeAll(assertBuilt);

const HEALTHY = { status: 'ok', database: 'up', migrations: 'current' };
const pgdataOf = (workdir: string) => join(workdir, '.payrisk', 'pgdata');

describe('payrisk <command> --help', () => {
  const commands = [
    'start',
    'worker',
    'demo',
    'sandbox',
    'sandbox advance',
    'migrate',
    'sync',
    'detect',
    'policies run',
    'actions list',
    'actions approve',
    'actions reject',
    'actions waive',
    'emails preview',
    'discount-requests add',
    'report',
    'accounts add',
    'accounts list',
    'accounts show',
    'accounts remove',
    'people add',
    'people list',
    'people remove',
    'people link',
    'tokens create',
    'tokens list',
    'tokens revoke',
  ];

  it.each(commands)(
    'payrisk %s --help exits 0 and prints its usage line',
    (command) => {
      const { status, stdout } = runCli([...command.split(' '), '--help']);
      expect(status).toBe(0);
      // "Usage: payrisk sandbox [options] [command]": the command's full path, then its arguments (or nothing).
      expect(stdout).toMatch(new RegExp(`^Usage: payrisk ${command}( |$)`, 'm'));
    },
    20_000,
  );
});

describe('payrisk migrate on embedded defaults', () => {
  it('applies every migration once, then has nothing left to apply, and leaves no postgres running', () => {
    const cwd = freshWorkdir();
    const names = migrations.map((migration) => migration.name);

    const first = runCli(['migrate'], { cwd });
    expect(first.stderr).toContain('starting embedded PostgreSQL');
    expect(first.status).toBe(0);
    // stdout carries only the result (logs go to stderr), so it can be piped.
    expect(first.stdout.trim()).toBe(`Applied ${names.length} migration(s): ${names.join(', ')}`);
    expect(postgresProcessesFor(pgdataOf(cwd))).toEqual([]);

    const second = runCli(['migrate'], { cwd });
    expect(second.status).toBe(0);
    expect(second.stdout.trim()).toBe('Database schema is current; nothing to apply.');
    expect(postgresProcessesFor(pgdataOf(cwd))).toEqual([]);
  }, 120_000);
});

/** A login role with a recognisable password and a database it owns, on the test run's PostgreSQL. */
async function databaseWithPassword(): Promise<{ url: string; password: string; drop(): Promise<void> }> {
  const adminUrl = process.env.PAYRISK_TEST_ADMIN_URL;
  if (!adminUrl) throw new Error('PAYRISK_TEST_ADMIN_URL is not set: run tests through jest (its global setup starts PostgreSQL)');
  const suffix = randomBytes(6).toString('hex');
  const role = `payrisk_pw_${suffix}`;
  const database = `payrisk_pw_${suffix}`;
  const password = `SeCrEtPw123${suffix}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await admin.query(`CREATE DATABASE ${database} OWNER ${role}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.username = role;
  url.password = password;
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    password,
    async drop() {
      const cleanup = new Client({ connectionString: adminUrl });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await cleanup.query(`DROP ROLE IF EXISTS ${role}`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

describe('payrisk start never prints its secrets', () => {
  it('keeps API_TOKEN, the DATABASE_URL password and STRIPE_WEBHOOK_SECRET out of trace-level output', async () => {
    const db = await databaseWithPassword();
    const token = randomBytes(16).toString('hex'); // 32 characters
    const webhookSecret = `whsec_unique${randomBytes(12).toString('hex')}`;
    const port = await findFreePort();
    const base = `http://127.0.0.1:${port}`;
    let server: ServerProcess | undefined;
    try {
      const home = join(freshWorkdir(), '.payrisk');
      // On the built-in sandbox the server logs to <home>/logs/payrisk.log; the terminal gets the summary and the warnings.
      server = spawnCli(['start'], dirname(home), {
        PORT: String(port),
        LOG_LEVEL: 'trace',
        API_TOKEN: token,
        STRIPE_WEBHOOK_SECRET: webhookSecret,
        DATABASE_URL: db.url,
      });
      const running = server;
      const everything = () => `${running.output()}\n${serverLog(home)}`;
      expect(await waitForHealth(base, running, 90_000)).toEqual(HEALTHY);

      const response = await fetch(`${base}/api/clients`, { headers: { Authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      // The request logger saw the header (and censored it) ...
      await eventually(
        async () => everything(),
        (out) => out.includes('"url":"/api/clients"'),
        'the request log line for GET /api/clients',
      );
      // ... and the built-in sandbox's webhooks, signed with STRIPE_WEBHOOK_SECRET, were accepted: the secret was in use.
      await eventually(
        async () => everything(),
        // Deliveries skip Express (src/stripe/webhooks/webhook-listener.ts): the intake's own debug line says it stored one.
        (out) => /webhook event=evt_\S+ type=\S+ stored/.test(out),
        'an accepted signed webhook',
        30_000,
      );

      running.child.kill('SIGINT');
      expect(await running.exited).toBe(0);

      const output = everything();
      expect(serverLog(home)).toMatch(/"url":"\/api\/clients".*"authorization":"\[redacted\]"/);
      expect(output).not.toContain(token);
      expect(output).not.toContain(db.password);
      expect(output).not.toContain(webhookSecret);
    } finally {
      if (server?.child.exitCode === null) server.child.kill('SIGINT');
      await server?.exited;
      await db.drop();
    }
  }, 150_000);
});

async function freePortBelowEphemeral(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

describe('embedded PostgreSQL picks a free port', () => {
  it('runs two payrisk start servers side by side in two folders, each healthy, each stopping cleanly', async () => {
    const folders = [freshWorkdir(), freshWorkdir()];
    // HTTP ports below Linux's ephemeral range (32768+): the PostgreSQL and sandbox ports each
    // server asks the OS for can then never be the one the other server is about to listen on.
    const ports = [await freePortBelowEphemeral(), await freePortBelowEphemeral()];
    while (ports[1] === ports[0]) ports[1] = await freePortBelowEphemeral();
    const servers = folders.map((cwd, i) => spawnCli(['start'], cwd, { PORT: String(ports[i]) }));
    try {
      const health = await Promise.all(servers.map((server, i) => waitForHealth(`http://127.0.0.1:${ports[i]}`, server, 120_000)));
      expect(health).toEqual([HEALTHY, HEALTHY]);

      // One cluster per folder, each on a port of its own.
      const clusters = folders.map((cwd) => postgresProcessesFor(pgdataOf(cwd)));
      expect(clusters.map((lines) => lines.length)).toEqual([1, 1]);
      const clusterPorts = clusters.map((lines) => /\s-p\s+(\d+)/.exec(lines[0])?.[1]);
      expect(clusterPorts[0]).toMatch(/^\d+$/);
      expect(clusterPorts[1]).toMatch(/^\d+$/);
      expect(clusterPorts[0]).not.toBe(clusterPorts[1]);

      for (const server of servers) server.child.kill('SIGINT');
      expect(await Promise.all(servers.map((server) => server.exited))).toEqual([0, 0]);
      expect(folders.map((cwd) => postgresProcessesFor(pgdataOf(cwd)))).toEqual([[], []]);
    } finally {
      for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGINT');
      await Promise.all(servers.map((server) => server.exited));
    }
  }, 200_000);
});
