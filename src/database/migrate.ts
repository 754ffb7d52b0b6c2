import type { DataSource } from 'typeorm';
import { runSerialized } from './advisory-lock';

/**
 * Applies pending migrations under an advisory lock, so several instances starting
 * together apply each migration once. Returns the names applied (empty when current).
 */
export async function migrateDatabase(dataSource: DataSource): Promise<string[]> {
  return runSerialized(dataSource, 'payrisk:migrations', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  });
}

/** True when every known migration has been applied. */
export async function migrationsAreCurrent(dataSource: DataSource): Promise<boolean> {
  return !(await dataSource.showMigrations());
}
