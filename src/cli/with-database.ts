import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config';
import { runForAccount } from '../database/account-scope';
import { migrateDatabase } from '../database/migrate';
import { openAppDataSource } from '../database/scoped-connections';
import { openDatabase } from '../runtime/open-database';
import { defaultCommandAccount } from './command-account';
import { commandRuntime, type CommandRuntime } from './command-runtime';

/**
 * For one-shot commands: opens the database (DATABASE_URL; else the PostgreSQL of the
 * `payrisk start` running on this home, from `<home>/runtime.json`; else the embedded
 * cluster, started for this command), brings the schema up to date, runs `work` with
 * payrisk's clock, and always closes what it opened. `work` runs as the application's role,
 * in the scope of `options.account` (the command's Stripe account) or else the default one
 * (command-account.ts): row-level security shows it that account's rows only.
 */
export async function withDatabase<T>(
  config: AppConfig,
  logger: Logger,
  work: (dataSource: DataSource, runtime: CommandRuntime) => Promise<T>,
  runtime?: CommandRuntime,
  options: { account?: string } = {},
): Promise<T> {
  const resolved = runtime ?? (await commandRuntime(config));
  const database = await openDatabase(config, logger, { nextToServer: true });
  let dataSource: DataSource | undefined;
  try {
    dataSource = await openAppDataSource(database.url);
    await migrateDatabase(dataSource);
    const account = options.account ?? (await defaultCommandAccount(dataSource, resolved));
    const opened = dataSource;
    return account === undefined ? await work(opened, resolved) : await runForAccount(account, () => work(opened, resolved));
  } finally {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database.close();
  }
}
