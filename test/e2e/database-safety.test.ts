import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { findFreePort } from '../../src/database/free-port';
import { assertBuilt, freshWorkdir, runCliAsync, spawnCli, waitForHealth, type ServerProcess } from '../support/cli-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

beforeAll(assertBuilt);

type Query = (sql: string) => Promise<unknown[]>;

/** Another application's rows in the same database: one table in `public`, one in a schema of its own. */
async function addForeignTables(query: Query): Promise<void> {
  await query(`CREATE TABLE public.orders (id int PRIMARY KEY, item text)`);
  await query(`INSERT INTO public.orders VALUES (1, 'coffee'), (2, 'tea')`);
  await query(`CREATE SCHEMA crm`);
  await query(`CREATE TABLE crm.contacts (id int PRIMARY KEY)`);
  await query(`INSERT INTO crm.contacts VALUES (7), (8), (9)`);
}

async function foreignRows(query: Query): Promise<{ orders: unknown[]; contacts: unknown[] }> {
  return { orders: await query(`SELECT id, item FROM public.orders ORDER BY id`), contacts: await query(`SELECT id FROM crm.contacts ORDER BY id`) };
}
const untouched = {
  orders: [
    { id: 1, item: 'coffee' },
    { id: 2, item: 'tea' },
  ],
  contacts: [{ id: 7 }, { id: 8 }, { id: 9 }],
};

async function startAndStop(cwd: string, env: Record<string, string>, whileRunning?: (server: ServerProcess) => Promise<void>): Promise<string> {
  const port = await findFreePort();
  const server = spawnCli(['start'], cwd, { PORT: String(port), ...env });
  try {
    await waitForHealth(`http://127.0.0.1:${port}`, server);
    await whileRunning?.(server);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  return server.output();
}

/** A connection to the embedded cluster a running `payrisk start` made under `<cwd>/.payrisk` (port from postmaster.pid). */
async function connectToEmbedded(cwd: string): Promise<Client> {
  const home = join(cwd, '.payrisk');
  const port = readFileSync(join(home, 'pgdata', 'postmaster.pid'), 'utf8')
    .split('\n')[3]
    .trim();
  const { user, password } = JSON.parse(readFileSync(join(home, 'postgres.json'), 'utf8')) as { user: string; password: string };
  const client = new Client({ host: '127.0.0.1', port: Number(port), user, password, database: 'payrisk' });
  await client.connect();
  return client;
}

describe('a database payrisk is given', () => {
  let db: TestDatabase;
  const query: Query = (sql) => db.dataSource.query(sql);
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    await addForeignTables(query);
  });
  afterAll(() => db?.drop());

  it("keeps other apps' tables and its own ledger through `payrisk start` on the sandbox (DATABASE_URL, no STRIPE_SECRET_KEY) and `payrisk demo`", async () => {
    const env = { DATABASE_URL: db.url, LOG_LEVEL: 'warn' };
    await startAndStop(freshWorkdir(), env);
    expect(await foreignRows(query)).toEqual(untouched);
    expect(await query(`SELECT count(*)::int AS n FROM payrisk.migrations`)).toEqual([{ n: expect.any(Number) as number }]);
    expect(await query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)).toEqual([{ tablename: 'orders' }]);

    // A DATABASE_URL is never emptied for a fresh sandbox, not even payrisk's own tables.
    await query(
      `INSERT INTO payrisk.clients (id, stripe_account_id, name, stripe_created_at) VALUES ('cus_mine', 'acct_mine', 'Mine', now()) ON CONFLICT DO NOTHING`,
    );
    await startAndStop(freshWorkdir(), env);
    expect(await query(`SELECT id FROM payrisk.clients WHERE id = 'cus_mine'`)).toEqual([{ id: 'cus_mine' }]);

    // The demo runs on an embedded database of its own, even with DATABASE_URL in the environment.
    const ledger = await query(`SELECT id, synced_at FROM payrisk.clients ORDER BY id`);
    expect(ledger).toContainEqual(expect.objectContaining({ id: 'cus_mine' }));
    const demo = await runCliAsync(['demo'], { cwd: freshWorkdir(), env });
    if (demo.status !== 0) throw new Error(`payrisk demo exited with ${demo.status}:\n${demo.stderr}`);
    expect(await foreignRows(query)).toEqual(untouched);
    expect(await query(`SELECT id, synced_at FROM payrisk.clients ORDER BY id`)).toEqual(ledger);
  }, 240_000);
});

describe("payrisk's own embedded database", () => {
  it('runs durably (fsync on) and, on each fresh sandbox, empties only the payrisk schema', async () => {
    const cwd = freshWorkdir();
    await startAndStop(cwd, { LOG_LEVEL: 'warn' }, async () => {
      const client = await connectToEmbedded(cwd);
      try {
        for (const setting of ['fsync', 'full_page_writes', 'synchronous_commit']) {
          expect((await client.query(`SHOW ${setting}`)).rows).toEqual([{ [setting]: 'on' }]);
        }
        await addForeignTables(async (sql) => (await client.query(sql)).rows);
      } finally {
        await client.end();
      }
    });

    // The second start resets the sandbox's ledger: the tables of schema payrisk only.
    await startAndStop(cwd, { LOG_LEVEL: 'warn' }, async () => {
      const client = await connectToEmbedded(cwd);
      try {
        expect(await foreignRows(async (sql) => (await client.query(sql)).rows)).toEqual(untouched);
        const { rows } = await client.query(`SELECT count(*)::int AS n FROM payrisk.migrations`);
        expect(rows[0].n).toBeGreaterThan(0);
      } finally {
        await client.end();
      }
    });
  }, 240_000);
});
