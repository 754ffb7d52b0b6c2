import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppConfig, withDemoPoliciesOnSandbox } from '../../config';
import { DEFAULT_JOBS_RUNTIME, type JobsRuntime } from '../../jobs/jobs-runtime';
import { writeRuntimeFile, type RuntimeRecord } from '../../runtime/runtime-file';
import { onShutdown } from '../../runtime/shutdown';
import { startServer, type DemoOptions, type RunningServer } from '../../runtime/start-server';
import type { StripeConnection } from '../../stripe/stripe-connection';
import { STRIPE_CONNECTION } from '../../stripe/stripe.tokens';
import { CliError } from '../cli-error';
import { workerCommand } from './worker.command';

/**
 * Runs the server until SIGINT/SIGTERM: with `--role all` (default) the HTTP server and a job
 * worker, with `--role web` the HTTP server only (workers run elsewhere: `payrisk worker`). On the built-in sandbox it runs the demo policies
 * (config/demo.yaml) unless PAYRISK_CONFIG says otherwise. The shutdown owner (src/runtime/shutdown.ts)
 * then closes HTTP and the pool before the embedded Postgres, and exits 0.
 * Once listening it records where it runs in `<home>/runtime.json` (src/runtime/runtime-file.ts),
 * so the other commands work next to it; the file goes when the server stops.
 */
export async function startCommand(config: AppConfig, logger: Logger, jobs: JobsRuntime = DEFAULT_JOBS_RUNTIME, demo: DemoOptions = {}): Promise<void> {
  // `--role worker` is `payrisk worker`: no HTTP server, no runtime file (that names a server).
  if (jobs.role === 'worker') return workerCommand(config, logger, { concurrency: jobs.concurrency });
  const effective = withDemoPoliciesOnSandbox(config);
  if (demo.businesses && demo.businesses > 1 && config.stripe.secretKey)
    throw new CliError(
      '--businesses runs several demo businesses on the built-in sandbox: unset STRIPE_SECRET_KEY, or add real accounts with `payrisk accounts add`',
      2,
    );
  const server = await startServer(effective, logger, jobs, demo);
  const removeRuntimeFile = writeRuntimeFile(config.homeDir, runtimeRecordOf(server, effective));
  process.once('exit', removeRuntimeFile);
  // Registered last, so it runs first: no command picks up a server that is going away.
  onShutdown(async () => removeRuntimeFile());
  await new Promise<never>(() => undefined);
}

function runtimeRecordOf(server: RunningServer, config: AppConfig): RuntimeRecord {
  const address = server.app.getHttpServer().address() as AddressInfo | string | null;
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = typeof address === 'object' && address && !['::', '0.0.0.0', '::1'].includes(address.address) ? address.address : '127.0.0.1';
  const databaseUrl = (server.app.get(DataSource).options as { url?: string }).url ?? '';
  const sandbox = server.app.get<StripeConnection>(STRIPE_CONNECTION).sandbox;
  return {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    http: { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` },
    database: { url: databaseUrl, embedded: !config.database.url },
    policyFile: config.policyFilePath,
    ...(sandbox ? { sandbox: { url: sandbox.url, secretKey: sandbox.secretKey, accountId: sandbox.accountId } } : {}),
  };
}
