import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config';
import { dataSourceOptions } from '../database/data-source-options';
import { migrateDatabase } from '../database/migrate';
import { openDatabase } from '../runtime/open-database';
import { commandRuntime, type CommandRuntime } from './command-runtime';

/**
 * For one-shot commands: opens the database (DATABASE_URL; else the PostgreSQL of the
 * `payrisk start` running on this home, from `<home>/runtime.json`; else the embedded
 * cluster, started for this command), brings the schema up to date, runs `work` with
 * payrisk's clock, and always closes what it opened.
 */
export async function withDatabase<T>(
  config: AppConfig,
  logger: Logger,
  work: (dataSource: DataSource, runtime: CommandRuntime) => Promise<T>,
  runtime?: CommandRuntime,
): Promise<T> {
  const resolved = runtime ?? (await commandRuntime(config));
  const database = await openDatabase(config, logger, { nextToServer: true });
  const dataSource = new DataSource(dataSourceOptions(database.url));
  try {
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    return await work(dataSource, resolved);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.close();
  }
}
