import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown, Optional } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config';
import { RiskAlertProducer } from '../../notifications/alerts/risk-alert.producer';
import { DetectScheduler } from '../../risk/detect.scheduler';
import { CronJobs } from '../../scheduler/cron-jobs.service';
import { JobRunner } from '../../scheduler/job-runner.service';
import { StripeSyncService } from './stripe-sync.service';

/**
 * Backfills once on the first start (empty ledger), then catches up from events on the
 * `scheduler.syncCatchUp` cron, each tick under the advisory lock, followed by
 * incremental detection and risk alerts.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SyncScheduler.name);
  private initial?: Promise<unknown>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sync: StripeSyncService,
    private readonly jobs: JobRunner,
    private readonly cron: CronJobs,
    @Optional() private readonly detect?: DetectScheduler,
    @Optional() private readonly alerts?: RiskAlertProducer,
  ) {}

  onApplicationBootstrap(): void {
    this.cron.register('sync-catch-up', this.config.policy.scheduler.syncCatchUp, () => this.tick());
    // First start: fill the ledger in the background; the server is already answering.
    this.initial = this.tick();
  }

  /** The first sync after boot (backfill on an empty ledger), then detection and alerts. */
  initialSync(): Promise<unknown> {
    return this.initial ?? Promise.resolve();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.initial?.catch(() => undefined);
  }

  /** Sync, then detection on what changed, then alerts: each step under its own lock. */
  async tick() {
    const outcome = await this.jobs.run('sync', async () => {
      const summary = await this.sync.catchUp();
      this.logger.log(`sync ${summary.mode}: ${JSON.stringify(summary.counts)}`);
      return summary;
    });
    if (outcome.status !== 'ran') return outcome;
    await this.detect?.incremental();
    await this.alerts?.run().catch((error: unknown) => this.logger.error(`alerts after sync failed: ${String(error)}`));
    return outcome;
  }
}
