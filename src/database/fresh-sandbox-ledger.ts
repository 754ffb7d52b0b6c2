import { z } from 'zod';
import { column, selectRows } from './select-rows';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { PAYRISK_SCHEMA } from './data-source-options';
import { runAsOwner } from './scoped-connections';

/**
 * The built-in sandbox of `payrisk start` is kept under `<home>/sandbox` and continued at
 * the next start, ledger and outbox with it. When it is seeded anew (the first start,
 * after `payrisk sandbox reset` or `payrisk start --fresh`, and every `payrisk demo`), a
 * ledger kept from before would describe a sandbox that no longer exists (fees on invoice
 * items that are gone, clients paused there but not here), so it is emptied.
 *
 * Only ever on payrisk's own embedded database (`embedded: false`, a DATABASE_URL, is left
 * as it is), and only the tables of the `payrisk` schema: never another schema's, never
 * via CASCADE (a foreign table referencing one of ours makes this fail rather than be
 * emptied). Never called with a real account. Returns the number of tables emptied.
 */
export async function emptyLedgerForFreshSandbox(dataSource: DataSource, database: { embedded: boolean }): Promise<number> {
  if (!database.embedded) return 0;
  // TRUNCATE passes by row-level security, so the application's role may not; the owner empties its own embedded ledger.
  return runAsOwner(() => truncateAll(dataSource));
}

async function truncateAll(dataSource: DataSource): Promise<number> {
  const tables = await selectRows(
    dataSource.manager,
    `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'migrations'`,
    [PAYRISK_SCHEMA],
    z.object({ tablename: column.text }),
  );
  const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
  if (tables.length > 0) await dataSource.query(`TRUNCATE ${tables.map((t) => `${quoted(PAYRISK_SCHEMA)}.${quoted(t.tablename)}`).join(', ')} RESTRICT`);
  return tables.length;
}

/** The outbox of `<home>`: emails whose links point at actions of the ledger being emptied go with it. */
export function emptyOutbox(homeDir: string): void {
  rmSync(join(homeDir, 'outbox'), { recursive: true, force: true });
}

/**
 * A sandbox seeded anew: the ledger is emptied (embedded database only, schema `payrisk`
 * only, as above) and so is the outbox, whose old emails would link to actions that are gone.
 * A DATABASE_URL ledger and its outbox are left as they are.
 */
export async function resetForFreshSandbox(dataSource: DataSource, options: { embedded: boolean; homeDir: string }): Promise<number> {
  if (!options.embedded) return 0;
  const emptied = await emptyLedgerForFreshSandbox(dataSource, options);
  emptyOutbox(options.homeDir);
  return emptied;
}
