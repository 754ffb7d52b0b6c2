import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';

/**
 * The Postgres schema that holds every payrisk table, its migrations table included. payrisk
 * never reads or writes anything outside it, so it can share a database with other apps.
 */
export const PAYRISK_SCHEMA = 'payrisk';

/**
 * The one data source definition shared by the app, the CLI, migrations, tests and benches.
 * Tables come only from migrations, and every query is SQL in a feature's query module, so
 * there are no entities. Every pooled connection starts with `search_path=payrisk`, so the
 * unqualified SQL in the code (and in migrations) names payrisk's tables only; TypeORM's
 * `schema` qualifies the migrations table.
 */
export function dataSourceOptions(url: string): DataSourceOptions {
  const { url: connectionUrl, options } = withSearchPath(url);
  return {
    type: 'postgres',
    url: connectionUrl,
    schema: PAYRISK_SCHEMA,
    entities: [],
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // No CREATE EXTENSION in someone else's database; gen_random_uuid() is built into PostgreSQL 13+.
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    extra: { max: 10, application_name: 'payrisk', options },
  };
}

/**
 * Startup `options` for the pool: the URL's own `options` parameter (which node-postgres
 * would otherwise let win over ours) followed by `-c search_path=payrisk`, the last one
 * applying.
 */
function withSearchPath(url: string): { url: string; options: string } {
  const ours = `-c search_path=${PAYRISK_SCHEMA}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, options: ours };
  }
  const given = parsed.searchParams.get('options');
  if (given === null) return { url, options: ours };
  parsed.searchParams.delete('options');
  return { url: parsed.toString(), options: `${given} ${ours}` };
}
