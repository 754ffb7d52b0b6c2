import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { runForAccount } from '../database/account-scope';
import { LedgerChanges, type LedgerChange } from '../stripe/sync/ledger-changes';
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
    // One query for a burst's clients: most are not paused, and then there is nothing to lift.
    this.changes.subscribeMany(async (changes) => {
      // Each account's clients in that account's scope: its Stripe, its policy file.
      for (const [accountId, clientIds] of byAccount(changes)) {
        await runForAccount(accountId, async () => {
          for (const clientId of await this.runner.pausedAmong(clientIds)) {
            try {
              const resumed = (await this.runner.resumeIfSettled(clientId)).filter((a) => a.kind === 'work_resume' && a.status === 'applied');
              if (resumed.length > 0) this.logger.log(`account=${accountId} work for ${clientId} resumed right after its payment`);
            } catch (error) {
              this.logger.error(`account=${accountId} resume check for ${clientId} failed: ${String(error)}`); // one client's failure never stops the others
            }
          }
        });
      }
    });
  }
}

function byAccount(changes: LedgerChange[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const change of changes) grouped.set(change.accountId, [...(grouped.get(change.accountId) ?? []), change.clientId]);
  return grouped;
}
