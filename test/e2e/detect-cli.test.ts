import { RISK_FLAGS, RISK_LEVELS } from '../../src/common/vocabulary';
import { syncSeededLedger } from '../../src/demo/seeded-ledger';
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import { assertBuilt, freshWorkdir, runCli } from '../support/cli-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

interface DetectJson {
  customerId: string;
  name: string | null;
  email: string | null;
  level: string;
  score: number;
  flags: string[];
  metrics: Record<string, unknown>;
  evidence: Record<string, Array<{ kind: string; id: string; amount: { amount: number; currency: string }; date: string }>>;
}

/**
 * The built `payrisk` CLI against a database synced from the demo sandbox (DATABASE_URL, so
 * no embedded PostgreSQL): `detect --json` keeps its documented shape (README "Commands"), the table is sorted
 * by score, and `discount-requests add` refuses unknown clients.
 */
describe('payrisk detect and discount-requests', () => {
  let sandbox: RunningSandbox;
  let db: TestDatabase;
  const cwd = freshWorkdir();
  const cli = (args: string[]) => runCli(args, { cwd, env: { DATABASE_URL: db.url, LOG_LEVEL: 'warn' } });

  beforeAll(async () => {
    assertBuilt();
    sandbox = await startSandbox({ port: 0, seed: 'demo' });
    db = await createTestDatabase();
    await syncSeededLedger(db.dataSource, sandbox, sandbox.discountRequests);
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
    await sandbox?.stop();
  });

  it('prints one object per client in its documented shape, highest score first, with evidence behind every flag', async () => {
    const { status, stdout, stderr } = cli(['detect', '--json']);
    if (status !== 0) throw new Error(`detect --json exited with ${status}:\n${stderr}`);
    const clients = JSON.parse(stdout) as DetectJson[];
    const [{ count }] = await db.dataSource.query(`SELECT count(*)::int AS count FROM clients WHERE NOT deleted`);
    expect(clients).toHaveLength(count);
    expect(clients.map((c) => c.score)).toEqual([...clients.map((c) => c.score)].sort((a, b) => b - a));
    for (const client of clients) {
      expect(Object.keys(client)).toEqual(['customerId', 'name', 'email', 'level', 'score', 'flags', 'metrics', 'evidence']);
      expect(client.customerId).toMatch(/^cus_/);
      expect(RISK_LEVELS).toContain(client.level);
      expect(Number.isInteger(client.score) && client.score >= 0 && client.score <= 100).toBe(true);
      expect(RISK_FLAGS).toEqual(expect.arrayContaining(client.flags));
      expect(client.metrics).toEqual(
        expect.objectContaining({
          invoicesDue: expect.any(Number),
          lateShare: expect.any(Number),
          medianDaysLate: expect.any(Number),
          arrears: expect.any(Array),
        }),
      );
      expect(Object.keys(client.evidence).sort()).toEqual([...client.flags].sort());
      for (const flag of client.flags) {
        expect(client.evidence[flag].length).toBeGreaterThan(0);
        for (const item of client.evidence[flag]) {
          expect(item).toEqual(
            expect.objectContaining({ kind: expect.any(String), id: expect.any(String), date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }),
          );
          expect(Number.isSafeInteger(item.amount.amount) && /^[a-z]{3}$/.test(item.amount.currency)).toBe(true);
        }
      }
    }
    // The same judgement as the labelled detection test, through the CLI.
    const byId = new Map(clients.map((c) => [c.customerId, c]));
    for (const persona of sandbox.personas)
      expect({ persona: persona.name, flags: [...(byId.get(persona.customerId)?.flags ?? [])].sort() }).toEqual({
        persona: persona.name,
        flags: [...persona.expectedFlags].sort(),
      });
  }, 60_000);

  it('prints a table sorted by score, and on the next run assesses only what changed', () => {
    const { status, stdout, stderr } = cli(['detect']);
    expect(status).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['SCORE', 'LEVEL', 'CLIENT', 'FLAGS', 'WHY']);
    expect(rows).toHaveLength(sandbox.personas.length);
    const scores = rows.map((row) => Number(row.split(/\s+/)[0]));
    expect(scores.every(Number.isInteger)).toBe(true);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(rows[0]).toMatch(/\(cus_\w+\)/);
    // Nothing changed since the --json run above.
    expect(stderr).toContain('assessed 0 client(s) this run');
  }, 60_000);

  it('logs a discount request for a known client and re-assesses just that client next time', async () => {
    const [persona] = sandbox.personas;
    const added = cli(['discount-requests', 'add', persona.customerId, '--amount', '25.00', '--currency', 'EUR', '--note', 'asked on the phone']);
    expect(added.status).toBe(0);
    expect(added.stdout).toContain(`Logged discount request`);
    const rows = await db.dataSource.query(
      `SELECT amount::int AS amount, currency, note, created_by FROM discount_requests WHERE client_id = $1 AND created_by = 'cli'`,
      [persona.customerId],
    );
    expect(rows).toEqual([{ amount: 2500, currency: 'eur', note: 'asked on the phone', created_by: 'cli' }]);
    expect(cli(['detect']).stderr).toContain('assessed 1 client(s) this run');
  }, 60_000);

  it('takes the amount in major units, and only in a currency the client is billed in unless --force', async () => {
    const yen = sandbox.personas[7]; // the demo's client billed in JPY, a zero-decimal currency
    const wrong = cli(['discount-requests', 'add', yen.customerId, '--amount', '10.50', '--currency', 'usd']);
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/billed in JPY, not USD \(--force to log it anyway\)/);
    expect(cli(['discount-requests', 'add', yen.customerId, '--amount', '10.5', '--currency', 'jpy']).status).not.toBe(0); // no decimals in JPY
    expect(cli(['discount-requests', 'add', yen.customerId, '--amount', '10', '--currency', 'jpy']).status).toBe(0);
    expect(cli(['discount-requests', 'add', yen.customerId, '--amount', '10.50', '--currency', 'usd', '--force']).status).toBe(0);
    const rows = await db.dataSource.query(
      `SELECT amount::int AS amount, currency FROM discount_requests WHERE client_id = $1 AND created_by = 'cli' ORDER BY created_at, amount`,
      [yen.customerId],
    );
    expect(rows).toEqual([
      { amount: 10, currency: 'jpy' },
      { amount: 1050, currency: 'usd' },
    ]);
  }, 60_000);

  it('refuses a discount request for an unknown client with a clear message and a non-zero exit', async () => {
    const { status, stdout, stderr } = cli(['discount-requests', 'add', 'cus_nobody', '--amount', '500', '--currency', 'eur']);
    expect(status).not.toBe(0);
    expect(stderr).toContain('Client cus_nobody not found');
    expect(stdout).toBe('');
    const [{ count }] = await db.dataSource.query(`SELECT count(*)::int AS count FROM discount_requests WHERE client_id = 'cus_nobody'`);
    expect(count).toBe(0);
  }, 60_000);
});
