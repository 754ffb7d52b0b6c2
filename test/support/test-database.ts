import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { migrateDatabase } from '../../src/database/migrate';
import { TEST_ACCOUNT } from './ledger-facts';
import { scopeConnections } from '../../src/database/scoped-connections';

export interface TestDatabase {
  url: string;
  dataSource: DataSource;
  /** Drops the database; call in afterAll. */
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.PAYRISK_TEST_ADMIN_URL;
  if (!url) throw new Error('PAYRISK_TEST_ADMIN_URL is not set: run tests through jest (its global setup starts PostgreSQL)');
  return url;
}

export function urlForDatabase(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A fresh database of its own for one test file, migrated unless `migrate: false`. Its data
 * source is the app's (`dataSourceOptions`): tables in schema `payrisk`, on the search path,
 * but it connects as the owner (outside row-level security, as a superuser), so a test can
 * seed and observe every account's rows; inside `runForAccount` it writes for that account.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `payrisk_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = urlForDatabase(name);
  const dataSource = new DataSource(dataSourceOptions(url));
  // Outside runForAccount the fixtures write for TEST_ACCOUNT (rows whose account comes from the scope: outbox, audit).
  scopeConnections(await dataSource.initialize(), { role: 'owner', unscopedAccount: TEST_ACCOUNT });
  if (options.migrate !== false) await migrateDatabase(dataSource);
  return {
    url,
    dataSource,
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      const cleanup = new Client({ connectionString: adminUrl() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
