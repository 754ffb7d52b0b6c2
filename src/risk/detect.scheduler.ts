import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config';
import { CronJobs } from '../scheduler/cron-jobs.service';
import { JobRunner } from '../scheduler/job-runner.service';
import { RiskAssessmentService } from './risk-assessment.service';

/** Daily full detection (`scheduler.detect`); the sync also calls `incremental()` after each catch-up. */
@Injectable()
export class DetectScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(DetectScheduler.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly assessments: RiskAssessmentService,
    private readonly jobs: JobRunner,
    private readonly cron: CronJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.cron.register('detect', this.config.policy.scheduler.detect, () => this.run(true));
  }

  incremental() {
    return this.run(false);
  }

  private run(full: boolean) {
    return this.jobs.run('detect', async () => {
      const result = await this.assessments.run(this.clock.now(), { full });
      this.logger.log(`detect run=${result.runId} assessed=${result.assessed} failed=${result.failed.length} full=${full}`);
      return result;
    });
  }
}
