import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { resolveApiToken } from '../auth/resolve-api-token';
import { DomainErrorFilter } from '../common/errors';
import { bodyParsing } from '../common/http/body-parsing';
import { securityHeaders, securityHeaderValues } from '../common/http/security-headers';
import { HttpValidationPipe } from '../common/http/validation-pipe';
import { serveDashboard } from '../dashboard/web/serve-dashboard';
import { signInLine } from '../web-session/sign-in-line';
import { WebSessionService } from '../web-session/web-session.service';
import type { AppConfig } from '../config';
import type { SandboxRun } from '../stripe/stripe.tokens';
import { WebhookIntake } from '../stripe/webhooks/webhook-intake';
import { serveWebhooksFirst, webhookListener } from '../stripe/webhooks/webhook-listener';
import { migrateDatabase } from '../database/migrate';
import { DEFAULT_JOBS_RUNTIME, runsJobs, type JobsRuntime } from '../jobs/jobs-runtime';
import { PipelineWorker } from '../jobs/pipeline-worker';
import { openDatabase } from './open-database';
import { onShutdown, shutdownInProgress } from './shutdown';

export interface RunningServer {
  app: NestExpressApplication;
  url: string;
  stop(): Promise<void>;
}

/**
 * Builds the HTTP app on a database URL: Stripe's webhook deliveries answered by a raw
 * listener in front of Express, security headers, bounded body parsing (raw bytes kept for
 * the webhooks it passes on), API prefix, the one validation pipe, the error filter, OpenAPI docs
 * generated from the same zod schemas.
 */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  logger: Logger,
  options: { sandbox?: SandboxRun; jobs?: JobsRuntime } = {},
): Promise<NestExpressApplication> {
  const { token } = resolveApiToken(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, databaseUrl, apiToken: token, logger, ...options }), {
    bufferLogs: true,
    // Bodies are read by bodyParsing() below: explicit limits per route, raw bytes for webhooks.
    bodyParser: false,
  });
  app.useLogger(app.get(PinoNestLogger));
  // Stripe's deliveries are answered before Express (its middleware cost more than the work: bench/README.md).
  const intake = app.get(WebhookIntake);
  const headers = securityHeaderValues();
  serveWebhooksFirst(app.getHttpServer(), (next) => webhookListener(intake, headers, next));
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(bodyParsing());
  // Approval links live outside /api: they are public pages, signed per link; so do Connect's OAuth pages.
  app.setGlobalPrefix('api', {
    exclude: [
      'health',
      'webhooks/stripe',
      'webhooks/stripe/connect',
      'webhooks/stripe/:accountId',
      'approvals/:id/:decision',
      'connect/start',
      'connect/callback',
    ],
  });
  app.useGlobalPipes(new HttpValidationPipe());
  app.useGlobalFilters(new DomainErrorFilter());
  serveDashboard(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('payrisk')
      .setDescription('Client payment-risk API')
      .setVersion('0.1.0')
      .setOpenAPIVersion('3.1.0')
      .addBearerAuth()
      .addCookieAuth('payrisk_session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, cleanupOpenApiDoc(document), { swaggerOptions: { validatorUrl: null } });
  return app;
}

/** What `payrisk start` runs on the built-in sandbox: how many demo businesses (`--businesses`, default 1). */
export interface DemoOptions {
  businesses?: number;
}

/** `payrisk start`: database (embedded unless DATABASE_URL), migrations, the HTTP server, then (role `all`) the job worker. */
export async function startServer(config: AppConfig, logger: Logger, jobs: JobsRuntime = DEFAULT_JOBS_RUNTIME, demo: DemoOptions = {}): Promise<RunningServer> {
  const database = await openDatabase(config, logger);
  let unregister: (() => void) | undefined;
  let app: NestExpressApplication | undefined;
  try {
    // On the built-in sandbox, its webhooks come here, as Stripe's would.
    const sandbox = config.stripe.secretKey
      ? undefined
      : { webhookUrl: `${localUrl(config.host, config.port)}/webhooks/stripe`, oneShot: false, businesses: demo.businesses };
    const created = (app = await createApp(config, database.url, logger, { sandbox, jobs }));
    // Registered before listening: a Ctrl-C during the rest of start-up closes HTTP and the pool before Postgres.
    unregister = onShutdown(async () => {
      await created.close();
      logger.info('HTTP server and database pool closed');
    });
    const applied = await migrateDatabase(created.get(DataSource));
    logger.info(applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'database schema is current (no migrations applied)');
    await created.listen(config.port, config.host);
    const url = localUrl(config.host, config.port);
    logger.info(`payrisk listening on ${url} (health: ${url}/health, API docs: ${url}/api/docs)`);
    if (runsJobs(jobs)) await created.get(PipelineWorker).start(jobs.concurrency);
    // On the built-in sandbox the start-up summary (SandboxPipeline) prints the link with everything else.
    if (!sandbox) {
      const signIn = await created.get(WebSessionService).issueSignInCode('start');
      process.stdout.write(`payrisk: ${signInLine(signIn.url)}\n`);
    }
    let stopping: Promise<void> | undefined;
    const closer = unregister;
    return {
      app: created,
      url,
      stop: () => {
        closer();
        return (stopping ??= created.close().finally(() => database.close()));
      },
    };
  } catch (error) {
    // A Ctrl-C mid start-up makes the steps above fail; the shutdown owner closes everything in order.
    if (shutdownInProgress()) throw error;
    unregister?.();
    await app?.close().catch(() => undefined);
    await database.close();
    throw error;
  }
}

/** How this machine reaches the server listening on `host`: loopback for the any-address, else the address itself. */
function localUrl(host: string, port: number): string {
  const address = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  return `http://${address}:${port}`;
}
