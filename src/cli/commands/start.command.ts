import type { Logger } from 'pino';
import type { AppConfig } from '../../config';
import { startServer } from '../../runtime/start-server';

/** Runs the server until SIGINT/SIGTERM, then closes HTTP, the pool and the embedded Postgres, in that order. */
export async function startCommand(config: AppConfig, logger: Logger): Promise<void> {
  const server = await startServer(config, logger);
  await new Promise<void>((resolve) => {
    const shutdown = (signal: NodeJS.Signals) => {
      logger.info(`${signal} received, shutting down`);
      server
        .stop()
        .catch((error: unknown) => logger.error(`shutdown error: ${String(error)}`))
        .finally(resolve);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  logger.info('stopped');
}
