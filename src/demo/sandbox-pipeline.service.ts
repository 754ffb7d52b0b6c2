import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { join, relative } from 'node:path';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config';
import { Clock, CLOCK } from '../common/clock';
import { RiskAlertProducer } from '../notifications/alerts/risk-alert.producer';
import { WeeklyDigestService } from '../notifications/digest/weekly-digest.service';
import { OutboxSender } from '../notifications/outbox/outbox-sender';
import { PolicyRunner } from '../policies/policy-runner';
import { DetectScheduler } from '../risk/detect.scheduler';
import { DiscountRequestService } from '../risk/discount-request.service';
import { JobRunner } from '../scheduler/job-runner.service';
import type { StripeConnection } from '../stripe/stripe-connection';
import { SANDBOX_RUN, STRIPE_CONNECTION, type SandboxRun } from '../stripe/stripe.tokens';
import { StripeSyncService } from '../stripe/sync/stripe-sync.service';
import { SyncScheduler } from '../stripe/sync/sync.scheduler';
import { loadDemoSummary } from './demo-summary.query';
import { formatDemoSummary } from './format-demo-summary';

export interface PipelineOutcome {
  sandboxNow: string;
  synced: Record<string, number>;
  actionsCreated: number;
  actionsApplied: number;
  emailsSent: number;
}

/**
 * On the built-in sandbox, `payrisk start` (and `payrisk demo`, which stops there) does the
 * whole job at once instead of waiting for the crons: after the first sync it logs the
 * haggling the demo clients did by phone, detects, runs the policies, sends the owner's
 * emails and prints a summary. Moving the sandbox's clock runs the same steps again, so the
 * owner sees invoices go overdue, fees proposed and pauses lifted right away.
 */
@Injectable()
export class SandboxPipeline implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SandboxPipeline.name);
  private booting?: Promise<void>;
  private summaryText?: string;

  constructor(
    @Inject(STRIPE_CONNECTION) private readonly connection: StripeConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SANDBOX_RUN) private readonly run: SandboxRun | null,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly discountRequests: DiscountRequestService,
    private readonly digest: WeeklyDigestService,
    private readonly sync: StripeSyncService,
    private readonly syncScheduler: SyncScheduler,
    private readonly detect: DetectScheduler,
    @Inject(PolicyRunner) private readonly policies: PolicyRunner,
    private readonly alerts: RiskAlertProducer,
    private readonly outbox: OutboxSender,
    private readonly jobs: JobRunner,
  ) {}

  get sandbox() {
    return this.connection.sandbox;
  }

  onApplicationBootstrap(): void {
    if (!this.sandbox || !this.run) return;
    this.booting = this.boot().catch((error: unknown) => this.logger.error(`the first pipeline run failed: ${String(error)}`));
  }

  /** Resolves with the printed summary once the first pipeline run is done (the demo waits for it). */
  async ready(): Promise<string | undefined> {
    await this.booting;
    return this.summaryText;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.booting;
  }

  private async boot(): Promise<void> {
    const sandbox = this.sandbox as NonNullable<StripeConnection['sandbox']>;
    const step = (text: string) => process.stdout.write(`payrisk: ${text}\n`);
    step(`syncing the sandbox's demo business (${sandbox.personas.length} clients) from Stripe…`);
    await this.syncScheduler.initialSync();
    step(`logging the ${sandbox.discountRequests.length} discount requests its clients made by phone or email…`);
    for (const request of sandbox.discountRequests) {
      await this.discountRequests.add(request.customerId, { amount: request.amount, currency: request.currency, note: request.note, requestedAt: request.requestedAt.toISOString() }, 'demo', this.clock.now());
    }
    step('assessing the clients, applying the policies, emailing you…');
    await this.digest.enqueue();
    await this.runOnce();
    const oneShot = this.run?.oneShot === true;
    const outboxDir = join(this.config.homeDir, 'outbox');
    this.summaryText = formatDemoSummary(await loadDemoSummary(this.dataSource.manager), {
      apiDocs: oneShot ? 'http://localhost:3000/api/docs (with "npm start")' : `${this.config.publicUrl.replace(/\/+$/, '')}/api/docs`,
      outboxDir: this.config.mail.smtpUrl ? `sent over SMTP to ${this.config.mail.ownerEmail}` : oneShot ? relative(process.cwd(), outboxDir) : outboxDir,
      sandboxUrl: oneShot ? undefined : sandbox.url,
      sandboxSecretKey: oneShot ? undefined : sandbox.secretKey,
      apiTokenFile: oneShot || this.config.api.token ? undefined : join(this.config.homeDir, 'api-token'),
      approveHint: oneShot ? 'this demo ends here; "npm start" runs the same with links that work' : undefined,
    });
    process.stdout.write(this.summaryText);
  }

  /** Moves the sandbox's clock (renewals, overdue invoices and their webhooks happen), then runs the pipeline. */
  async advance(seconds: number): Promise<PipelineOutcome> {
    const sandbox = this.sandbox;
    if (!sandbox) throw new Error('no built-in sandbox');
    await sandbox.advanceTime(seconds);
    return this.runOnce();
  }

  /** Catch up from events, assess what changed, apply the policies, alert and send the emails. */
  async runOnce(): Promise<PipelineOutcome> {
    const synced = await this.jobs.run('sync', () => this.sync.catchUp());
    await this.detect.incremental();
    const policies = await this.jobs.run('policies', () => this.policies.run());
    await this.alerts.run();
    const sent = await this.outbox.sendDue();
    const ran = policies.status === 'ran' ? policies.result : undefined;
    return {
      sandboxNow: (this.sandbox?.now() ?? new Date()).toISOString(),
      synced: synced.status === 'ran' ? (synced.result.counts as Record<string, number>) : {},
      actionsCreated: ran?.created ?? 0,
      actionsApplied: ran?.applied ?? 0,
      emailsSent: sent.sent,
    };
  }
}
