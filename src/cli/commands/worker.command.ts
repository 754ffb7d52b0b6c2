import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config';
import { migrateDatabase } from '../../database/migrate';
import { PipelineWorker } from '../../jobs/pipeline-worker';
import { openDatabase } from '../../runtime/open-database';
import { onShutdown } from '../../runtime/shutdown';
import { createApp } from '../../runtime/start-server';
import { CliError } from '../cli-error';

export interface WorkerCommandOptions {
  concurrency: number;
}

/**
 * `payrisk worker [--concurrency N]` (and `payrisk start --role worker`): runs queued jobs and
 * the cron ticks that queue them, until SIGINT/SIGTERM; no HTTP server. Any number of workers,
 * on any number of machines, share one PostgreSQL (DATABASE_URL, or the database of the
 * `payrisk start` running on this PAYRISK_HOME); pg-boss hands each job to one of them.
 */
export async function workerCommand(config: AppConfig, logger: Logger, options: WorkerCommandOptions): Promise<void> {
  if (!config.stripe.secretKey) {
    throw new CliError(
      'payrisk worker needs STRIPE_SECRET_KEY (and STRIPE_API_BASE for a `payrisk sandbox`): ' +
        'the built-in sandbox lives inside `payrisk start`, which runs its own jobs (--role all).',
      78,
    );
  }
  const database = await openDatabase(config, logger, { nextToServer: true });
  onShutdown(() => database.close());
  const app = await createApp(config, database.url, logger, { jobs: { role: 'worker', concurrency: options.concurrency } });
  onShutdown(async () => {
    await app.close();
    logger.info('worker stopped: jobs under way finished, database pool closed');
  });
  const applied = await migrateDatabase(app.get(DataSource));
  if (applied.length > 0) logger.info(`applied migrations: ${applied.join(', ')}`);
  await app.init();
  await app.get(PipelineWorker).start(options.concurrency);
  process.stdout.write(`payrisk: worker pid ${process.pid} running jobs (${options.concurrency} at a time); Ctrl-C stops it after the jobs under way\n`);
  await new Promise<never>(() => undefined);
}
