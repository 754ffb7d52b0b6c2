import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config';
import { dataSourceOptions } from '../database/data-source-options';
import { migrateDatabase } from '../database/migrate';
import { openDatabase } from '../runtime/open-database';

/**
 * For one-shot commands: opens the database (embedded unless DATABASE_URL), brings the
 * schema up to date, runs `work`, and always closes the pool and the embedded cluster.
 */
export async function withDatabase<T>(config: AppConfig, logger: Logger, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const database = await openDatabase(config, logger);
  const dataSource = new DataSource(dataSourceOptions(database.url));
  try {
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    return await work(dataSource);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.close();
  }
}
