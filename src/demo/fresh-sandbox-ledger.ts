import type { DataSource } from 'typeorm';

/**
 * The built-in sandbox lives as long as one `payrisk start`: each start seeds a new demo
 * business. A ledger kept from an earlier start would describe a sandbox that no longer
 * exists (fees on invoice items that are gone, clients paused there but not here), so on
 * the sandbox every start begins with an empty ledger. Never called with a real account.
 */
export async function emptyLedgerForFreshSandbox(dataSource: DataSource): Promise<number> {
  const tables = (await dataSource.query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'migrations'`)) as { tablename: string }[];
  if (tables.length > 0) await dataSource.query(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} CASCADE`);
  return tables.length;
}
