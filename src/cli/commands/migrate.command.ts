import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config';
import { dataSourceOptions } from '../../database/data-source-options';
import { migrateDatabase } from '../../database/migrate';
import { openDatabase } from '../../runtime/open-database';

/** `payrisk migrate`: applies pending migrations and prints what it did. */
export async function migrateCommand(config: AppConfig, logger: Logger): Promise<void> {
  const database = await openDatabase(config, logger, { nextToServer: true });
  const dataSource = new DataSource(dataSourceOptions(database.url));
  try {
    await dataSource.initialize();
    const applied = await migrateDatabase(dataSource);
    console.log(applied.length > 0 ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database schema is current; nothing to apply.');
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.close();
  }
}
