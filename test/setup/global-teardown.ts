import { rmSync } from 'node:fs';
import type { EmbeddedDatabase } from '../../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const database = (globalThis as { __payriskTestDatabase?: EmbeddedDatabase }).__payriskTestDatabase;
  if (!database) return;
  await database.stop();
  rmSync(database.dataDir.replace(/\/pgdata$/, ''), { recursive: true, force: true });
}
