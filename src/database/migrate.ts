import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { runSerialized } from './advisory-lock';
import { PAYRISK_SCHEMA } from './data-source-options';
import { moveLegacyTablesFromPublic } from './legacy-public-tables';
import { column, selectOne, selectRows } from './select-rows';
import { forgetAppRoleCheck, runAsOwner } from './scoped-connections';

async function schemaExists(dataSource: DataSource): Promise<boolean> {
  return (
    (await selectRows(dataSource, `SELECT 1 AS present FROM pg_namespace WHERE nspname = $1`, [PAYRISK_SCHEMA], z.object({ present: column.int }))).length > 0
  );
}

async function migrationsTableExists(dataSource: DataSource): Promise<boolean> {
  // Before the first migration there is no migrations table: the one existence probe payrisk needs.
  const row = await selectOne(
    dataSource,
    `SELECT to_regclass($1) IS NOT NULL AS present`,
    [`"${PAYRISK_SCHEMA}".migrations`],
    z.object({ present: column.boolean }),
  );
  return row?.present === true;
}

/**
 * Creates the `payrisk` schema when missing (checked first, so a role without CREATE on the
 * database works once a DBA made the schema), moves the tables of earlier versions out of
 * `public` (see legacy-public-tables.ts), then applies pending migrations; all under an
 * advisory lock, so several instances starting together do each step once. Runs as the
 * connecting user (`runAsOwner`), never as the application's role, whose grants and
 * row-level security the migrations set up. Returns the names applied (empty when current).
 */
export async function migrateDatabase(dataSource: DataSource): Promise<string[]> {
  return runAsOwner(() =>
    runSerialized(dataSource, 'payrisk:migrations', async () => {
      if (!(await schemaExists(dataSource))) await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${PAYRISK_SCHEMA}"`);
      await moveLegacyTablesFromPublic(dataSource);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      forgetAppRoleCheck(dataSource);
      return applied.map((migration) => migration.name);
    }),
  );
}

/** True when every known migration has been applied; a read-only check (it creates no schema or table). */
export function migrationsAreCurrent(dataSource: DataSource): Promise<boolean> {
  // The migrations table is the owner's: the application's role has no grant on it.
  return runAsOwner(async () => {
    if (!(await migrationsTableExists(dataSource))) return false;
    return !(await dataSource.showMigrations());
  });
}
