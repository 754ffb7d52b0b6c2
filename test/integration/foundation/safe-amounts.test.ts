import { createTestDatabase, TestDatabase } from '../../support/test-database';

/** Money columns hold only amounts a JavaScript number carries exactly (migration SafeAmounts1764430000000). */
describe('money columns refuse amounts beyond 2^53 − 1', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.dataSource.query(`INSERT INTO clients (id, stripe_account_id, name, stripe_created_at) VALUES ('cus_big', 'acct_big', 'Big', now())`);
  });
  afterAll(async () => db.drop());

  const invoice = (id: string, total: string) =>
    db.dataSource.query(
      `INSERT INTO invoices (id, stripe_account_id, client_id, status, collection_method, currency, subtotal, total, amount_due, amount_paid, amount_remaining, stripe_created_at)
       VALUES ($1, 'acct_big', 'cus_big', 'open', 'send_invoice', 'usd', $2::bigint, $2::bigint, 0, 0, 0, now())`,
      [id, total],
    );

  it('stores 2^53 − 1 and its negative, refuses 2^53', async () => {
    await invoice('in_max', '9007199254740991');
    await invoice('in_min', '-9007199254740991');
    await expect(invoice('in_over', '9007199254740992')).rejects.toThrow(/invoices_subtotal_safe|invoices_total_safe/);
    const [row] = (await db.dataSource.query(`SELECT total::float8 AS total FROM invoices WHERE id = 'in_max'`)) as { total: number }[];
    expect(row.total).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('covers every bigint money column', async () => {
    const rows = (await db.dataSource.query(
      `SELECT c.table_name || '.' || c.column_name AS col FROM information_schema.columns c
        WHERE c.table_schema = 'payrisk' AND c.data_type = 'bigint' AND (c.column_name = 'amount' OR c.column_name LIKE 'amount\\_%' OR c.column_name IN ('subtotal', 'total', 'total_discount'))
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = ('payrisk.' || c.table_name)::regclass AND k.conname = c.table_name || '_' || c.column_name || '_safe')
        ORDER BY 1`,
    )) as { col: string }[];
    expect(rows.map((r) => r.col)).toEqual([]);
  });
});
