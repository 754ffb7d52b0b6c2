import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { CronJobs } from '../scheduler/cron-jobs.service';
import { JOBS_RUNTIME, runsJobs, type JobsRuntime } from './jobs-runtime';
import { PipelineJobs } from './pipeline-jobs';
import type { PipelineFlags } from './pipeline-queue';

/**
 * The pipeline's cron ticks: each queues one run per active account. Every worker process
 * ticks; the queue keeps one waiting job per account (`stately`), so N processes ticking at
 * once still queue one run per account. A web-only process does not tick.
 */
@Injectable()
export class PipelineTicks implements OnApplicationBootstrap {
  private readonly logger = new Logger(PipelineTicks.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JOBS_RUNTIME) private readonly runtime: JobsRuntime,
    private readonly cron: CronJobs,
    private readonly jobs: PipelineJobs,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsJobs(this.runtime)) return;
    const { scheduler, notifications } = this.config.policy;
    this.register('pipeline:catch-up', scheduler.syncCatchUp, {});
    this.register('pipeline:detect', scheduler.detect, { fullDetect: true });
    this.register('pipeline:policies', scheduler.policies, {});
    if (notifications.digest.enabled) this.register('pipeline:digest', notifications.digest.cron, { digest: true });
  }

  private register(name: string, cronTime: string, flags: PipelineFlags): void {
    this.cron.register(name, cronTime, () =>
      this.jobs.enqueueForActiveAccounts(flags).catch((error: unknown) => this.logger.error(`tick ${name} queued nothing: ${String(error)}`)),
    );
  }
}
