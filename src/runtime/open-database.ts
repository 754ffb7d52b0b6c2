import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import { EmbeddedDatabase } from '../database/embedded-postgres';
import { onShutdown } from './shutdown';

export interface OpenDatabase {
  url: string;
  embedded: boolean;
  /** Stops the embedded cluster; a no-op for DATABASE_URL. */
  close(): Promise<void>;
}

/** DATABASE_URL when given; otherwise a real embedded PostgreSQL under `<home>/pgdata`. */
export async function openDatabase(config: AppConfig, logger: Logger): Promise<OpenDatabase> {
  if (config.database.url) return { url: config.database.url, embedded: false, close: async () => undefined };
  const embedded = new EmbeddedDatabase(config.homeDir, 'payrisk', (line) => logger.debug({ component: 'postgres' }, line));
  logger.info(`starting embedded PostgreSQL (data in ${join(config.homeDir, 'pgdata')})`);
  const unregister = onShutdown(() => embedded.stop());
  const url = await embedded.start();
  return {
    url,
    embedded: true,
    close: async () => {
      unregister();
      await embedded.stop();
    },
  };
}
