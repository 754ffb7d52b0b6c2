import { migrateDatabase, migrationsAreCurrent } from '../../../src/database/migrate';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

describe('migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db.drop());

  it('create the ledger schema once, even when two instances migrate at the same time', async () => {
    expect(await migrationsAreCurrent(db.dataSource)).toBe(false);
    const [first, second] = await Promise.all([migrateDatabase(db.dataSource), migrateDatabase(db.dataSource)]);
    expect([...first, ...second]).toContain('Ledger1764050000000');
    expect([...first, ...second].filter((name) => name === 'Ledger1764050000000')).toHaveLength(1);
    expect(await migrationsAreCurrent(db.dataSource)).toBe(true);
    expect(await migrateDatabase(db.dataSource)).toEqual([]);
  });

  it('give every table holding Stripe data a Stripe account id', async () => {
    const rows: { table_name: string }[] = await db.dataSource.query(
      `SELECT table_name FROM information_schema.columns WHERE column_name = 'stripe_account_id' AND table_schema = 'payrisk'`,
    );
    const tables = rows.map((row) => row.table_name);
    for (const table of ['clients', 'invoices', 'credit_notes', 'disputes', 'discount_requests', 'sync_cursors', 'processed_events']) {
      expect(tables).toContain(table);
    }
  });

  it('store money as bigint minor units with a currency', async () => {
    const rows: { table_name: string; column_name: string; data_type: string }[] = await db.dataSource.query(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = 'payrisk' AND column_name IN ('amount', 'amount_due', 'amount_paid', 'amount_remaining', 'total', 'currency')`,
    );
    const types = new Map(rows.map((row) => [`${row.table_name}.${row.column_name}`, row.data_type]));
    expect(types.get('invoices.amount_remaining')).toBe('bigint');
    expect(types.get('invoices.total')).toBe('bigint');
    expect(types.get('credit_notes.amount')).toBe('bigint');
    expect(types.get('discount_requests.amount')).toBe('bigint');
    expect(types.get('invoices.currency')).toBe('character');
  });

  it('index invoices by client + due date and by status for detection', async () => {
    const rows: { indexname: string; indexdef: string }[] = await db.dataSource.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'payrisk' AND tablename = 'invoices'`,
    );
    const defs = rows.map((row) => row.indexdef);
    expect(defs.some((def) => /\(client_id, due_at\)/.test(def))).toBe(true);
    expect(defs.some((def) => /\(status\)/.test(def))).toBe(true);
  });

  it('derive the exempt flag from customer metadata', async () => {
    await db.dataSource.query(
      `INSERT INTO clients (id, stripe_account_id, metadata, stripe_created_at) VALUES ('cus_a', 'acct_1', '{"payrisk_exempt":"true"}', now()), ('cus_b', 'acct_1', '{}', now())`,
    );
    const rows: { id: string; exempt: boolean }[] = await db.dataSource.query(`SELECT id, exempt FROM clients ORDER BY id`);
    expect(rows).toEqual([
      { id: 'cus_a', exempt: true },
      { id: 'cus_b', exempt: false },
    ]);
  });
});
