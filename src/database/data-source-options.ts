import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';
import { ledgerEntities } from '../ledger/ledger.entities';

/** The one data source definition shared by the app, the CLI and migrations. Schema comes only from migrations. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ledgerEntities,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    extra: { max: 10, application_name: 'payrisk' },
  };
}
