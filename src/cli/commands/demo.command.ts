import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'pino';
import { resolveLinkSecret } from '../../auth/link-secret';
import { SystemClock } from '../../common/clock';
import { AppConfig, demoPolicyFilePath, loadConfig } from '../../config';
import { RiskAlertProducer } from '../../notifications/alerts/risk-alert.producer';
import { WeeklyDigestService } from '../../notifications/digest/weekly-digest.service';
import { OutboxClientNotifier } from '../../notifications/outbox/outbox-client-notifier';
import { OutboxOwnerNotifier } from '../../notifications/outbox/outbox-owner-notifier';
import { OutboxSender } from '../../notifications/outbox/outbox-sender';
import { OutboxService } from '../../notifications/outbox/outbox.service';
import { PolicyRunner } from '../../policies/policy-runner';
import { DiscountRequestService } from '../../risk/discount-request.service';
import { loadDemoSummary } from '../../demo/demo-summary.query';
import { formatDemoSummary } from '../../demo/format-demo-summary';
import { RiskAssessmentService } from '../../risk/risk-assessment.service';
import { openStripeConnection } from '../../stripe/stripe-connection';
import { StripeSyncService } from '../../stripe/sync/stripe-sync.service';
import { PinoNestLogger } from '../pino-nest-logger';
import { withDatabase } from '../with-database';

const step = (n: number, text: string) => console.log(`[${n}/6] ${text}`);

/**
 * `payrisk demo`: the whole product in one run on embedded defaults. A fresh embedded
 * PostgreSQL under `<home>/demo`, the built-in Stripe sandbox with the demo business, a
 * full sync, detection, the policies of config/demo.yaml, and the owner's emails written
 * as .eml files; then a summary. It never touches a real Stripe account or database.
 */
export async function demoCommand(config: AppConfig, logger: Logger): Promise<void> {
  // The steps below say what happens; a line per email would drown them.
  const quiet = logger.child({}, { level: 'warn' });
  NestLogger.overrideLogger(new PinoNestLogger(() => quiet));
  const demo = demoConfig(config);
  rmSync(join(demo.homeDir, 'pgdata'), { recursive: true, force: true });
  rmSync(join(demo.homeDir, 'outbox'), { recursive: true, force: true });
  console.log(`payrisk demo: a fresh ledger in ${relative(process.cwd(), demo.homeDir) || '.'}, policies from ${relative(process.cwd(), demo.policyFilePath)}\n`);

  await withDatabase(demo, quiet, async (dataSource) => {
    const clock = new SystemClock();
    step(1, 'starting the Stripe sandbox with the demo business…');
    const connection = await openStripeConnection(demo, { seed: 'demo' });
    try {
      const sandbox = connection.sandbox;
      if (!sandbox) throw new Error('the demo needs the built-in sandbox');
      console.log(`      ${sandbox.personas.length} clients at ${sandbox.url}`);

      step(2, 'syncing customers, invoices, credit notes and disputes from Stripe…');
      let lastLine = 0;
      const sync = new StripeSyncService(dataSource, connection.stripe, connection.accountId, (progress) => {
        if (Date.now() - lastLine < 1000) return;
        lastLine = Date.now();
        console.log(`      ${progress.type}: ${progress.synced} synced, ${Math.round(progress.ratePerSecond)}/s`);
      });
      const synced = await sync.backfill({ full: true });
      console.log(`      ${Object.entries(synced.counts).map(([type, n]) => `${n} ${type.replace('_', ' ')}`).join(', ')}`);

      step(3, `logging ${sandbox.discountRequests.length} discount requests the clients made by phone or email…`);
      const requests = new DiscountRequestService(dataSource);
      for (const request of sandbox.discountRequests) {
        await requests.add(request.customerId, { amount: request.amount, currency: request.currency, note: request.note, requestedAt: request.requestedAt.toISOString() }, 'demo', clock.now());
      }

      step(4, 'assessing every client…');
      const assessments = new RiskAssessmentService(dataSource, demo.policy.detection);
      const run = await assessments.run(clock.now(), { full: true });
      console.log(`      ${run.assessed} clients assessed`);

      step(5, 'applying the policies…');
      const outbox = new OutboxService(dataSource, clock);
      const runner = new PolicyRunner({
        dataSource,
        stripe: connection.stripe,
        accountId: connection.accountId,
        notifier: new OutboxOwnerNotifier(outbox, demo),
        clientNotifier: new OutboxClientNotifier(outbox),
        clock,
        config: demo,
        linkSecret: resolveLinkSecret(demo),
      });
      const policies = await runner.run();
      console.log(`      ${policies.created} actions: ${summarize(policies.planned.map((p) => `${p.kind} (${p.mode === 'auto' ? 'applied' : 'proposed'})`))}`);

      step(6, 'emailing the owner…');
      await new RiskAlertProducer(dataSource, outbox, demo, clock).run();
      await new WeeklyDigestService(dataSource, outbox, demo, clock).enqueue();
      const sender = new OutboxSender(outbox, demo);
      const sent = await sender.sendDue();
      sender.onModuleDestroy();

      const outboxDir = join(demo.homeDir, 'outbox');
      // The same summary `npm start` prints, without the sandbox (it ends with this command).
      const summary = formatDemoSummary(await loadDemoSummary(dataSource.manager), {
        apiDocs: 'http://localhost:3000/api/docs (with "npm start")',
        outboxDir: relative(process.cwd(), outboxDir),
        approveHint: 'this demo ends here; "npm start" runs the same with links that work',
      });
      process.stdout.write(summary.replace('── payrisk is ready ──', '── payrisk demo summary ──'));
      const files = existsSync(outboxDir) ? readdirSync(outboxDir).filter((f) => f.endsWith('.eml')) : [];
      console.log(`\n${sent.sent} emails to ${demo.mail.ownerEmail}${demo.mail.smtpUrl ? ' over SMTP' : `, written to ${relative(process.cwd(), outboxDir)}/ (${files.length} .eml files; open one in any mail app)`}.`);
      const home = relative(process.cwd(), demo.homeDir) || '.';
      console.log(`Reports on this demo ledger: PAYRISK_HOME=${home} npx payrisk report aging (or behaviour, dso, fees, discounts; --format csv|xlsx --out FILE).`);
      console.log('Next: "npm start" runs the service (API docs at http://localhost:3000/api/docs); "npx payrisk --help" lists every command.');
    } finally {
      await connection.close();
    }
  });
}

/** The demo's own config: embedded everything under `<home>/demo`, demo policies unless PAYRISK_CONFIG is set. */
function demoConfig(config: AppConfig): AppConfig {
  const env: NodeJS.ProcessEnv = { ...process.env, PAYRISK_HOME: join(config.homeDir, 'demo') };
  if (!process.env.PAYRISK_CONFIG) env.PAYRISK_CONFIG = demoPolicyFilePath();
  // Never a real account or database: the demo makes fees and pauses.
  for (const key of ['DATABASE_URL', 'STRIPE_SECRET_KEY', 'STRIPE_API_BASE', 'STRIPE_WEBHOOK_SECRET']) delete env[key];
  return loadConfig(env);
}

function summarize(items: string[]): string {
  if (items.length === 0) return 'none';
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts.entries()].map(([item, n]) => `${n} ${item}`).join(', ');
}
