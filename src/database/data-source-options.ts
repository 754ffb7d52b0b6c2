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
 * `schema` qualifies the migrations table. And `plan_cache_mode=force_custom_plan`: the few
 * prepared statements (prepared-statement.ts) skip parsing, not planning, because a plan
 * frozen while a ledger is young (the statistics of an empty table) would scan a whole
 * account's rows on every run as the table grows (measured on a lookup of applied event ids:
 * 4 ms a call at 20,000 events, against 0.1 ms planned for its values). It changes nothing else: unnamed statements are planned each time anyway.
 */
export function dataSourceOptions(url: string): DataSourceOptions {
  const { url: connectionUrl, options } = withSessionSettings(url);
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
 * would otherwise let win over ours) followed by ours (`-c search_path=payrisk -c
 * plan_cache_mode=force_custom_plan`), the last one applying.
 */
function withSessionSettings(url: string): { url: string; options: string } {
  const ours = `-c search_path=${PAYRISK_SCHEMA} -c plan_cache_mode=force_custom_plan`;
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
