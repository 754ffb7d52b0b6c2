import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config';
import { RiskAlertProducer } from '../notifications/alerts/risk-alert.producer';
import { OutboxSender } from '../notifications/outbox/outbox-sender';
import { PolicyRunner } from '../policies/policy-runner';
import { DetectScheduler } from '../risk/detect.scheduler';
import { JobRunner } from '../scheduler/job-runner.service';
import type { StripeConnection } from '../stripe/stripe-connection';
import { STRIPE_CONNECTION } from '../stripe/stripe.tokens';
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
 * On the built-in sandbox, `payrisk start` does the whole job at once instead of waiting
 * for the crons: after the first sync it detects, runs the policies, sends the owner's
 * emails and prints a summary. Moving the sandbox's clock runs the same steps again, so the
 * owner sees invoices go overdue, fees proposed and pauses lifted right away.
 */
@Injectable()
export class SandboxPipeline implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SandboxPipeline.name);
  private booting?: Promise<void>;

  constructor(
    @Inject(STRIPE_CONNECTION) private readonly connection: StripeConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
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
    if (!this.sandbox) return;
    this.booting = this.boot().catch((error: unknown) => this.logger.error(`the first pipeline run failed: ${String(error)}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.booting;
  }

  private async boot(): Promise<void> {
    await this.syncScheduler.initialSync();
    await this.runOnce();
    process.stdout.write(
      formatDemoSummary(await loadDemoSummary(this.dataSource.manager), {
        apiDocs: `${this.config.publicUrl.replace(/\/+$/, '')}/api/docs`,
        outboxDir: this.config.mail.smtpUrl ? `sent over SMTP to ${this.config.mail.ownerEmail}` : join(this.config.homeDir, 'outbox'),
        sandboxUrl: this.sandbox?.url,
        sandboxSecretKey: this.sandbox?.secretKey,
        apiTokenFile: this.config.api.token ? undefined : join(this.config.homeDir, 'api-token'),
      }),
    );
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
