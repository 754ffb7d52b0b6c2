import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { LedgerChanges } from '../stripe/sync/ledger-changes';
import { PolicyRunner } from './policy-runner';

/** An immediate resume check whenever a webhook changes a client's ledger; the policy runs themselves are steps of the pipeline (src/pipeline). */
@Injectable()
export class PoliciesScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(PoliciesScheduler.name);

  constructor(
    @Inject(PolicyRunner) private readonly runner: PolicyRunner,
    private readonly changes: LedgerChanges,
  ) {}

  onApplicationBootstrap(): void {
    this.changes.subscribe(async ({ clientId }) => {
      if (!(await this.runner.isPaused(clientId))) return; // the common case: nothing to lift
      const resumed = (await this.runner.resumeIfSettled(clientId)).filter((a) => a.kind === 'work_resume' && a.status === 'applied');
      if (resumed.length > 0) this.logger.log(`work for ${clientId} resumed right after its payment`);
    });
  }
}
