import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppConfig, demoPolicyFilePath, loadConfig } from '../../config';
import { findFreePort } from '../../database/free-port';
import { migrateDatabase } from '../../database/migrate';
import { SandboxPipeline } from '../../demo/sandbox-pipeline.service';
import { openDatabase } from '../../runtime/open-database';
import { createApp } from '../../runtime/start-server';
import { PinoNestLogger } from '../pino-nest-logger';

/**
 * `payrisk demo`: what `payrisk start` does on the built-in sandbox, as a one-shot that
 * exits 0. The same app and the same pipeline, on a fresh embedded PostgreSQL under
 * `<home>/demo`, with `config/demo.yaml`; it prints the summary and the emails written,
 * then stops. It never touches a real Stripe account or database.
 */
export async function demoCommand(config: AppConfig, logger: Logger): Promise<void> {
  const demo = demoConfig(config);
  rmSync(join(demo.homeDir, 'pgdata'), { recursive: true, force: true });
  rmSync(join(demo.homeDir, 'outbox'), { recursive: true, force: true });
  console.log(`payrisk demo: a fresh ledger in ${relative(process.cwd(), demo.homeDir) || '.'}, policies from ${relative(process.cwd(), demo.policyFilePath)}`);
  // The steps and the summary say what happens; a log line per request and email would drown them.
  const quiet = logger.child({}, { level: 'warn' });
  NestLogger.overrideLogger(new PinoNestLogger(() => quiet));

  const database = await openDatabase(demo, quiet);
  try {
    const port = await findFreePort();
    const app = await createApp(demo, database.url, quiet, { sandbox: { webhookUrl: `http://127.0.0.1:${port}/webhooks/stripe`, oneShot: true } });
    try {
      await migrateDatabase(app.get(DataSource));
      await app.listen(port, '127.0.0.1');
      if (!(await app.get(SandboxPipeline).ready())) throw new Error('the demo pipeline did not finish; see the log above');
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }

  const outboxDir = join(demo.homeDir, 'outbox');
  const files = existsSync(outboxDir) ? readdirSync(outboxDir).filter((f) => f.endsWith('.eml')) : [];
  const home = relative(process.cwd(), demo.homeDir) || '.';
  console.log(
    `\n${files.length} emails to ${demo.mail.ownerEmail}, written to ${relative(process.cwd(), outboxDir)}/ as .eml files (open one in any mail app).`,
  );
  console.log(`Reports on this demo ledger: PAYRISK_HOME=${home} npx payrisk report aging (or behaviour, dso, fees, discounts; --format csv|xlsx --out FILE).`);
  console.log('Next: "npm start" runs the service (API docs at http://localhost:3000/api/docs); "npx payrisk --help" lists every command.');
}

/** The demo's own config: embedded everything under `<home>/demo`, demo policies unless PAYRISK_CONFIG is set. */
function demoConfig(config: AppConfig): AppConfig {
  const env: NodeJS.ProcessEnv = { ...process.env, PAYRISK_HOME: join(config.homeDir, 'demo') };
  if (!process.env.PAYRISK_CONFIG) env.PAYRISK_CONFIG = demoPolicyFilePath();
  // Never a real account, database or mail server: the demo makes fees and pauses.
  for (const key of ['DATABASE_URL', 'STRIPE_SECRET_KEY', 'STRIPE_API_BASE', 'STRIPE_WEBHOOK_SECRET', 'SMTP_URL']) delete env[key];
  return loadConfig(env);
}
