import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG, AppConfig } from '../../config';
import { JobRunner } from '../../scheduler/job-runner.service';
import { StripeSyncService } from './stripe-sync.service';

/**
 * Backfills once on the first start (empty ledger), then catches up from events on the
 * `scheduler.syncCatchUp` cron, each tick under the advisory lock.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SyncScheduler.name);
  private initial?: Promise<unknown>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sync: StripeSyncService,
    private readonly jobs: JobRunner,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const job = CronJob.from({ cronTime: this.config.policy.scheduler.syncCatchUp, onTick: () => void this.tick() });
    this.registry.addCronJob('sync-catch-up', job);
    job.start();
    // First start: fill the ledger in the background; the server is already answering.
    this.initial = this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.initial?.catch(() => undefined);
  }

  tick() {
    return this.jobs.run('sync', async () => {
      const summary = await this.sync.catchUp();
      this.logger.log(`sync ${summary.mode}: ${JSON.stringify(summary.counts)}`);
      return summary;
    });
  }
}
