import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort } from '../../src/database/free-port';
import { assertBuilt, freshWorkdir, postgresProcessesFor, runCli, serverLog, spawnCli, waitForHealth, waitForServerLog } from '../support/cli-process';
import { createTestDatabase } from '../support/test-database';

beforeAll(assertBuilt);

describe('payrisk CLI', () => {
  it('lists every documented command in --help', () => {
    const { status, stdout } = runCli(['--help']);
    expect(status).toBe(0);
    const documented = ['start', 'worker', 'demo', 'sandbox', 'login-link', 'migrate', 'sync', 'detect', 'policies', 'actions', 'emails'];
    for (const command of [...documented, 'discount-requests', 'report', 'accounts', 'people', 'tokens']) {
      expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    expect(runCli(['report', '--help']).stdout).toContain('--as-of <date>');
  });

  it('rejects bad arguments with a clear message and a non-zero exit', () => {
    const unknown = runCli(['frobnicate']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const badDate = runCli(['report', 'aging', '--as-of', '25/11/2026']);
    expect(badDate.status).not.toBe(0);
    expect(badDate.stderr).toContain('expected a date as YYYY-MM-DD');
    const badKind = runCli(['report', 'profit']);
    expect(badKind.status).not.toBe(0);
    expect(badKind.stderr).toContain('aging, dso, behaviour, fees, discounts');
  });

  it('fails fast on a bad PORT, naming it, before touching the database', () => {
    const cwd = freshWorkdir();
    const { status, stderr } = runCli(['start'], { cwd, env: { PORT: 'eighty' } });
    expect(status).toBe(78);
    expect(stderr).toContain('PORT: expected an integer port between 1 and 65535 (got "eighty")');
    expect(postgresProcessesFor(cwd)).toEqual([]);
  });

  it('fails fast on a bad policy file, naming the YAML path', () => {
    const cwd = freshWorkdir();
    writeFileSync(join(cwd, 'policy.yaml'), 'detection:\n  graceDays: -1\npolicies:\n  lateFees: {}\n');
    const { status, stderr } = runCli(['migrate'], { cwd, env: { PAYRISK_CONFIG: 'policy.yaml' } });
    expect(status).toBe(78);
    expect(stderr).toContain('detection.graceDays: graceDays must be 0 or more (got -1)');
    expect(stderr).toContain('policies.lateFees: unknown key');
  });
});

describe('payrisk start on embedded defaults', () => {
  it('serves /health, stops Postgres on Ctrl-C, and reuses .payrisk on the next start', async () => {
    const cwd = freshWorkdir();
    const dataDir = join(cwd, '.payrisk', 'pgdata');

    const port = await findFreePort();
    const first = spawnCli(['start'], cwd, { PORT: String(port) });
    await expect(waitForHealth(`http://127.0.0.1:${port}`, first)).resolves.toEqual({ status: 'ok', database: 'up', migrations: 'current' });
    expect(postgresProcessesFor(dataDir).length).toBeGreaterThan(0);
    // On the built-in sandbox the log goes to <home>/logs/payrisk.log, not over the start-up summary.
    expect(serverLog(join(cwd, '.payrisk'))).toContain('applied migrations: Ledger1764050000000');
    expect(first.output()).not.toContain('applied migrations');
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(postgresProcessesFor(dataDir)).toEqual([]);

    const port2 = await findFreePort();
    const second = spawnCli(['start'], cwd, { PORT: String(port2) });
    await waitForHealth(`http://127.0.0.1:${port2}`, second);
    expect(serverLog(join(cwd, '.payrisk'))).toContain('database schema is current (no migrations applied)');
    expect(serverLog(join(cwd, '.payrisk'))).not.toContain('initialising embedded PostgreSQL');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(postgresProcessesFor(dataDir)).toEqual([]);
  }, 120_000);

  // A Ctrl-C while Postgres starts or migrations run is still a normal end: the steps it cut short are not failures.
  it.each(['starting embedded PostgreSQL', 'applied migrations'])(
    'exits 0 and leaves no Postgres on a Ctrl-C after "%s"',
    async (line) => {
      const cwd = freshWorkdir();
      const server = spawnCli(['start'], cwd, { PORT: String(await findFreePort()) });
      await waitForServerLog(join(cwd, '.payrisk'), line, server);
      server.child.kill('SIGINT');
      expect(await server.closed).toBe(0);
      expect(server.errors()).toBe('SIGINT received, shutting down\n');
      expect(postgresProcessesFor(join(cwd, '.payrisk', 'pgdata'))).toEqual([]);
    },
    60_000,
  );

  it('uses DATABASE_URL when given and starts no embedded Postgres', async () => {
    const db = await createTestDatabase({ migrate: false });
    const cwd = freshWorkdir();
    const port = await findFreePort();
    const server = spawnCli(['start'], cwd, { PORT: String(port), DATABASE_URL: db.url });
    try {
      await waitForHealth(`http://127.0.0.1:${port}`, server);
      expect(serverLog(join(cwd, '.payrisk'))).toContain('payrisk listening on');
      expect(serverLog(join(cwd, '.payrisk'))).not.toContain('starting embedded PostgreSQL');
      const [{ count }] = await db.dataSource.query(`SELECT count(*)::int AS count FROM migrations`);
      expect(count).toBeGreaterThan(0);
    } finally {
      server.child.kill('SIGINT');
      await server.exited;
      await db.drop();
    }
  }, 60_000);
});
