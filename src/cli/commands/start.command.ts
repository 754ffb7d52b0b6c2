import type { Logger } from 'pino';
import { AppConfig, withDemoPoliciesOnSandbox } from '../../config';
import { onShutdown } from '../../runtime/shutdown';
import { startServer } from '../../runtime/start-server';

/**
 * Runs the server until SIGINT/SIGTERM. On the built-in sandbox it runs the demo policies
 * (config/demo.yaml) unless PAYRISK_CONFIG says otherwise. The shutdown owner (src/runtime/shutdown.ts)
 * then closes HTTP and the pool before the embedded Postgres, and exits 0.
 */
export async function startCommand(config: AppConfig, logger: Logger): Promise<void> {
  const server = await startServer(withDemoPoliciesOnSandbox(config), logger);
  onShutdown(async () => {
    await server.app.close();
    logger.info('HTTP server and database pool closed');
  });
  await new Promise<never>(() => undefined);
}
