import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort } from '../../src/database/free-port';
import { assertBuilt, freshWorkdir, runCliAsync, serverLog, spawnCli, type ServerProcess } from '../support/cli-process';
import { eventually } from '../support/eventually';

beforeAll(assertBuilt);

interface AccountLine {
  id: string;
  name: string;
  clientsAtRisk: number;
  receivables: { currency: string; outstanding: number }[];
}

/**
 * `payrisk start --businesses 3`: the built-in sandbox runs three demo businesses, each its own
 * Stripe account, added as accounts of this payrisk; each is synced, assessed and shown apart,
 * their webhooks reach their own endpoints, a restart continues the same three, and a start
 * with one business leaves the other two removed instead of reaching the wrong sandbox account.
 */
describe('the built-in demo with three businesses', () => {
  const cwd = freshWorkdir();
  const home = join(cwd, '.payrisk');
  let port: number;
  let server: ServerProcess | undefined;

  const api = async <T>(path: string, account?: string): Promise<T> => {
    const token = readFileSync(join(home, 'api-token'), 'utf8').trim();
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      headers: { Authorization: `Bearer ${token}`, ...(account ? { 'Payrisk-Account': account } : {}) },
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const start = async (args: string[], until: string): Promise<ServerProcess> => {
    port = await findFreePort();
    const running = spawnCli(['start', ...args], cwd, { PORT: String(port) });
    server = running;
    await eventually(
      async () => running.output(),
      (out) => out.includes(until) || running.child.exitCode !== null,
      'the start-up summary',
      180_000,
    );
    if (running.child.exitCode !== null) throw new Error(`payrisk start exited:\n${running.output()}`);
    return running;
  };
  const stop = async () => {
    const running = server;
    server = undefined;
    running?.child.kill('SIGINT');
    expect(await running?.exited).toBe(0);
  };
  const clientIdsOf = async (account: string) =>
    new Set((await api<{ rows: { customerId: string }[] }>('/api/dashboard/clients?pageSize=200', account)).rows.map((c) => c.customerId));
  afterAll(async () => {
    if (server) await stop();
  }, 30_000);

  let accounts: AccountLine[];

  it('runs three businesses, each synced and assessed in its own account, none seeing another', async () => {
    const running = await start(['--businesses', '3'], 'Also running');
    expect(running.output()).toMatch(/Also running \(2 more businesses/);
    accounts = (await api<{ accounts: AccountLine[] }>('/api/dashboard/accounts')).accounts;
    expect(accounts.map((a) => a.name).sort()).toEqual(['Alder & Finch Architects', 'Harbor Design Co', 'Northwind Studio']);
    for (const account of accounts) {
      expect(account.clientsAtRisk).toBeGreaterThan(0);
      expect(account.receivables.some((r) => r.outstanding > 0)).toBe(true);
    }
    const [a, b, c] = await Promise.all(accounts.map((account) => clientIdsOf(account.id)));
    for (const ids of [a, b, c]) expect(ids.size).toBeGreaterThan(0);
    expect([...a].filter((id) => b.has(id) || c.has(id))).toEqual([]);
    expect([...b].filter((id) => c.has(id))).toEqual([]);
  }, 240_000);

  it('`sandbox advance` moves the clock every business shares, each one follows it, and every webhook reaches its endpoint', async () => {
    const before = await Promise.all(accounts.map((a) => api<{ asOf: string }>('/api/dashboard/overview', a.id)));
    const run = await runCliAsync(['sandbox', 'advance', '3d'], { cwd });
    expect(run.status).toBe(0);
    const after = await Promise.all(accounts.map((a) => api<{ asOf: string }>('/api/dashboard/overview', a.id)));
    for (const [i, overview] of after.entries()) expect(Date.parse(overview.asOf)).toBeGreaterThan(Date.parse(before[i].asOf) + 2 * 86_400_000);
    // Each business's events are signed with its own secret and go to /webhooks/stripe/<its account>: none was refused.
    expect(serverLog(home)).toContain('payrisk listening on');
    expect(serverLog(home)).not.toContain('webhook refused');
  }, 120_000);

  it('a restart continues the same three; a start with one business keeps only the first', async () => {
    await stop();
    await start(['--businesses', '3'], 'Also running');
    expect((await api<{ accounts: AccountLine[] }>('/api/dashboard/accounts')).accounts.map((a) => a.id).sort()).toEqual(accounts.map((a) => a.id).sort());
    await stop();
    const single = await start([], 'Move its clock');
    expect(single.output()).not.toContain('Also running');
    expect((await api<{ accounts: AccountLine[] }>('/api/dashboard/accounts')).accounts.map((a) => a.name)).toEqual(['Northwind Studio']);
  }, 400_000);
});
