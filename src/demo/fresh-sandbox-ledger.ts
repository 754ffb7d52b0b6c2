import type { DataSource } from 'typeorm';
import { PAYRISK_SCHEMA } from '../database/data-source-options';

/**
 * The built-in sandbox lives as long as one `payrisk start`: each start seeds a new demo
 * business. A ledger kept from an earlier start would describe a sandbox that no longer
 * exists (fees on invoice items that are gone, clients paused there but not here), so on
 * the sandbox every start begins with an empty ledger.
 *
 * Only ever on payrisk's own embedded database (`embedded: false`, a DATABASE_URL, is left
 * as it is), and only the tables of the `payrisk` schema: never another schema's, never
 * via CASCADE (a foreign table referencing one of ours makes this fail rather than be
 * emptied). Never called with a real account. Returns the number of tables emptied.
 */
export async function emptyLedgerForFreshSandbox(dataSource: DataSource, database: { embedded: boolean }): Promise<number> {
  if (!database.embedded) return 0;
  const tables = (await dataSource.query(`SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'migrations'`, [PAYRISK_SCHEMA])) as { tablename: string }[];
  const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
  if (tables.length > 0) await dataSource.query(`TRUNCATE ${tables.map((t) => `${quoted(PAYRISK_SCHEMA)}.${quoted(t.tablename)}`).join(', ')} RESTRICT`);
  return tables.length;
}
