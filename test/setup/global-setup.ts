import { mkdirSync, mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabase } from '../../src/database/embedded-postgres';

/**
 * One real PostgreSQL per test run: DATABASE_URL when given (any server, e.g. CI's),
 * otherwise an embedded cluster in a temp folder. Each test file then creates its own
 * database from it (test/support/test-database.ts), so files run in parallel.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.PAYRISK_TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  // mkdtemp makes a 0700 folder; when running as root, postgres runs as its own user and must reach the data dir.
  const dir = mkdtempSync(join(tmpdir(), 'payrisk-test-pg-'));
  chmodSync(dir, 0o755);
  mkdirSync(dir, { recursive: true });
  const database = new EmbeddedDatabase(dir, 'payrisk_admin', undefined, { durable: false }); // deleted by the teardown
  process.env.PAYRISK_TEST_ADMIN_URL = await database.start();
  (globalThis as { __payriskTestDatabase?: EmbeddedDatabase }).__payriskTestDatabase = database;
}
