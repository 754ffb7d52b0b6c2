import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { CronJobs } from '../scheduler/cron-jobs.service';
import { JobRunner } from '../scheduler/job-runner.service';
import { LedgerChanges } from '../stripe/sync/ledger-changes';
import { PolicyRunner } from './policy-runner';

/** The daily policy run (`scheduler.policies`), and an immediate resume check whenever a webhook changes a client's ledger. */
@Injectable()
export class PoliciesScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(PoliciesScheduler.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PolicyRunner) private readonly runner: PolicyRunner,
    private readonly jobs: JobRunner,
    private readonly cron: CronJobs,
    private readonly changes: LedgerChanges,
  ) {}

  onApplicationBootstrap(): void {
    this.cron.register('policies', this.config.policy.scheduler.policies, () => this.run());
    this.changes.subscribe(async ({ clientId }) => {
      if (!(await this.runner.isPaused(clientId))) return; // the common case: nothing to lift
      const resumed = (await this.runner.resumeIfSettled(clientId)).filter((a) => a.kind === 'work_resume' && a.status === 'applied');
      if (resumed.length > 0) this.logger.log(`work for ${clientId} resumed right after its payment`);
    });
  }

  run() {
    return this.jobs.run('policies', () => this.runner.run());
  }
}
