import { DataSource } from 'typeorm';
import { migrations } from '../../../migrations';
import { LEGACY_PUBLIC_TABLES } from '../../../src/database/legacy-public-tables';
import { migrateDatabase, migrationsAreCurrent } from '../../../src/database/migrate';
import { emptyLedgerForFreshSandbox } from '../../../src/database/fresh-sandbox-ledger';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

type Query = (sql: string, parameters?: unknown[]) => Promise<unknown[]>;
const tablesIn = async (query: Query, schema: string) =>
  ((await query(`SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename`, [schema])) as { tablename: string }[]).map((r) => r.tablename);
const count = async (query: Query, table: string) => ((await query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n;

/** What a version before the payrisk schema did: its migrations, on the default search path, into `public`. */
async function migrateLikeAnEarlierVersion(url: string, upTo: number): Promise<void> {
  const old = new DataSource({
    type: 'postgres',
    url,
    migrations: migrations.slice(0, upTo),
    migrationsTableName: 'migrations',
    extra: { options: '-c search_path=public' },
  });
  await old.initialize();
  try {
    await old.runMigrations({ transaction: 'each' });
  } finally {
    await old.destroy();
  }
}

/** Another application's tables in the same database: in `public` (names clashing with ours) and in a schema of its own. */
async function addForeignTables(query: Query): Promise<void> {
  await query(`CREATE TABLE public.clients (id int PRIMARY KEY, note text)`);
  await query(`INSERT INTO public.clients VALUES (1, 'not payrisk''s'), (2, 'neither')`);
  await query(`CREATE TABLE public.orders (id int PRIMARY KEY)`);
  await query(`INSERT INTO public.orders VALUES (10), (11), (12)`);
  await query(`CREATE SCHEMA other_app`);
  await query(`CREATE TABLE other_app.invoices (id int PRIMARY KEY)`);
  await query(`INSERT INTO other_app.invoices VALUES (7)`);
}

async function expectForeignTablesIntact(query: Query): Promise<void> {
  expect(await query(`SELECT id, note FROM public.clients ORDER BY id`)).toEqual([
    { id: 1, note: "not payrisk's" },
    { id: 2, note: 'neither' },
  ]);
  expect(await count(query, 'public.orders')).toBe(3);
  expect(await count(query, 'other_app.invoices')).toBe(1);
}

describe("payrisk's own schema", () => {
  const dbs: TestDatabase[] = [];
  const fresh = async () => {
    const db = await createTestDatabase({ migrate: false });
    dbs.push(db);
    return { db, query: ((sql, parameters) => db.dataSource.query(sql, parameters)) as Query };
  };
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it('holds every table, the migrations table included, and leaves a database it shares with another app as it was', async () => {
    const { db, query } = await fresh();
    await query(`CREATE TABLE public.migrations (id SERIAL PRIMARY KEY, "timestamp" bigint NOT NULL, name varchar NOT NULL)`);
    await query(`INSERT INTO public.migrations ("timestamp", name) VALUES (1700000000000, 'OtherAppInit1700000000000')`);
    await addForeignTables(query);
    expect(await migrationsAreCurrent(db.dataSource)).toBe(false);
    expect(await tablesIn(query, 'payrisk')).toEqual([]); // the status check above created nothing

    const applied = await migrateDatabase(db.dataSource);
    expect(applied).toEqual(migrations.map((m) => m.name));
    const ours = await tablesIn(query, 'payrisk');
    expect(ours).toContain('migrations');
    expect(ours).toEqual(expect.arrayContaining(Object.values(LEGACY_PUBLIC_TABLES).flat()));
    expect(await query(`SELECT name FROM payrisk.migrations ORDER BY id`)).toEqual(migrations.map((m) => ({ name: m.name })));
    expect(await tablesIn(query, 'public')).toEqual(['clients', 'migrations', 'orders']);
    expect(await query(`SELECT name FROM public.migrations`)).toEqual([{ name: 'OtherAppInit1700000000000' }]);
    await expectForeignTablesIntact(query);
    expect(await query(`SELECT extname FROM pg_extension ORDER BY extname`)).toEqual([{ extname: 'plpgsql' }]);
    // Unqualified SQL in the app means payrisk's tables, even where another app has a table of the same name.
    expect(await count(query, 'clients')).toBe(0);
    expect(await migrationsAreCurrent(db.dataSource)).toBe(true);
    expect(await migrateDatabase(db.dataSource)).toEqual([]);
  });

  it('lists, for the upgrade, exactly the tables the migrations of earlier versions created', async () => {
    const { db, query } = await fresh();
    await migrateDatabase(db.dataSource);
    const legacy = migrations.filter((m) => m.name in LEGACY_PUBLIC_TABLES);
    expect(legacy.map((m) => m.name)).toEqual(Object.keys(LEGACY_PUBLIC_TABLES));
    expect(legacy).toEqual(migrations.slice(0, legacy.length)); // earlier versions ran a prefix of today's migrations
    // Every table the list names exists after the migrations (migrations added since create theirs in payrisk only, so there may be more).
    expect(await tablesIn(query, 'payrisk')).toEqual(expect.arrayContaining(Object.values(LEGACY_PUBLIC_TABLES).flat()));
  });

  it("moves an earlier version's tables out of public with their rows, sequences and constraints, and nothing else", async () => {
    const { db, query } = await fresh();
    await migrateLikeAnEarlierVersion(db.url, 4); // ledger, risk assessments, notifications, policies
    await query(`INSERT INTO public.clients (id, stripe_account_id, name, stripe_created_at) VALUES ('cus_kept', 'acct_1', 'Kept Ltd', now())`);
    await query(
      `INSERT INTO public.actions (id, kind, client_id, stripe_account_id, status, dedupe_key, proposed_at) VALUES ('00000000-0000-4000-8000-000000000001', 'work_pause', 'cus_kept', 'acct_1', 'proposed', 'k1', now())`,
    );
    await query(
      `INSERT INTO public.action_audit (action_id, to_status, actor, at) VALUES ('00000000-0000-4000-8000-000000000001', 'proposed', 'system', now())`,
    );
    await query(`CREATE TABLE public.orders (id int PRIMARY KEY)`);
    await query(`INSERT INTO public.orders VALUES (10), (11), (12)`);
    await query(`CREATE SCHEMA other_app`);
    await query(`CREATE TABLE other_app.invoices (id int PRIMARY KEY)`);
    await query(`INSERT INTO other_app.invoices VALUES (7)`);

    const applied = await migrateDatabase(db.dataSource);
    expect(applied).toEqual(migrations.slice(4).map((m) => m.name)); // only what the earlier version had not applied
    expect(await tablesIn(query, 'public')).toEqual(['orders']);
    expect(await count(query, 'public.orders')).toBe(3);
    expect(await count(query, 'other_app.invoices')).toBe(1);
    expect(await query(`SELECT id, name FROM payrisk.clients`)).toEqual([{ id: 'cus_kept', name: 'Kept Ltd' }]);
    expect(await query(`SELECT name FROM payrisk.migrations ORDER BY id`)).toEqual(migrations.map((m) => ({ name: m.name })));
    // The bigserial's sequence and the foreign key moved with their tables.
    await query(`INSERT INTO action_audit (action_id, to_status, actor, at) VALUES ('00000000-0000-4000-8000-000000000001', 'approved', 'cli', now())`);
    expect(await query(`SELECT id::int AS id FROM action_audit ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);
    await expect(
      query(`INSERT INTO action_audit (action_id, to_status, actor, at) VALUES ('00000000-0000-4000-8000-00000000dead', 'approved', 'cli', now())`),
    ).rejects.toThrow(/foreign key/);
    expect(await migrateDatabase(db.dataSource)).toEqual([]);
  });

  it("copies payrisk's rows out of a public.migrations it shared with another app, and leaves that table as it was", async () => {
    const { db, query } = await fresh();
    await migrateLikeAnEarlierVersion(db.url, migrations.filter((m) => m.name in LEGACY_PUBLIC_TABLES).length);
    await query(`INSERT INTO public.migrations ("timestamp", name) VALUES (1700000000000, 'OtherAppInit1700000000000')`);
    const before = await query(`SELECT id, "timestamp", name FROM public.migrations ORDER BY id`);

    await migrateDatabase(db.dataSource);
    expect(await query(`SELECT id, "timestamp", name FROM public.migrations ORDER BY id`)).toEqual(before);
    expect(await tablesIn(query, 'public')).toEqual(['migrations']);
    expect(await query(`SELECT name FROM payrisk.migrations ORDER BY id`)).toEqual(migrations.map((m) => ({ name: m.name })));
    expect(await migrationsAreCurrent(db.dataSource)).toBe(true);
  });

  describe("the sandbox's fresh ledger", () => {
    const stale = (query: Query) => query(`INSERT INTO clients (id, stripe_account_id, stripe_created_at) VALUES ('cus_stale', 'acct_old', now())`);

    it('empties only the payrisk schema, and only on the embedded database', async () => {
      const { db, query } = await fresh();
      await migrateDatabase(db.dataSource);
      await addForeignTables(query);
      await stale(query);

      expect(await emptyLedgerForFreshSandbox(db.dataSource, { embedded: false })).toBe(0); // a DATABASE_URL is never emptied
      expect(await count(query, 'payrisk.clients')).toBe(1);

      expect(await emptyLedgerForFreshSandbox(db.dataSource, { embedded: true })).toBeGreaterThan(0);
      expect(await count(query, 'payrisk.clients')).toBe(0);
      expect(await count(query, 'payrisk.migrations')).toBe(migrations.length);
      await expectForeignTablesIntact(query);
    });

    it('refuses rather than cascading into a foreign table that references one of ours', async () => {
      const { db, query } = await fresh();
      await migrateDatabase(db.dataSource);
      await stale(query);
      await query(`CREATE TABLE public.crm_links (client_id text REFERENCES payrisk.clients (id))`);
      await query(`INSERT INTO public.crm_links VALUES ('cus_stale')`);
      await expect(emptyLedgerForFreshSandbox(db.dataSource, { embedded: true })).rejects.toThrow(/foreign key/);
      expect(await count(query, 'public.crm_links')).toBe(1);
      expect(await count(query, 'payrisk.clients')).toBe(1);
    });
  });
});
