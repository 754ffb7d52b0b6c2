import { Logger } from '@nestjs/common';
import { DomainError } from '../common/errors';
import type { PlannedAction } from './domain/action';
import { ActionExecutor } from './execution/action-executor';
import type { ActionRecord } from './persistence/action-row';
import * as actions from './persistence/actions.query';
import { pausedAmong } from './persistence/work-status.query';
import { planLateFees } from './planning/late-fee.planner';
import { planPriceIncreases } from './planning/price-increase.planner';
import { planWorkStatus } from './planning/work-status.planner';
import type { PolicyDeps } from './policy-deps';

export interface PolicyRunResult {
  dryRun: boolean;
  /** What the policies call for now. A decision an earlier run recorded (same dedupe key) is not recorded again. */
  planned: PlannedAction[];
  /** Actions created by this run (a re-run creates none). */
  created: number;
  /**
   * What this run itself did: an action applied, failed or expired by another run going on at
   * the same time (another instance, the cron beside a CLI run) is counted by that run only.
   */
  applied: number;
  failed: number;
  retryLater: number;
  expired: number;
  /** The actions this run applied, failed, expired or tried (and will retry). */
  actions: ActionRecord[];
}

/**
 * The policy job: plan (pure decisions over the ledger), record each decision as an action
 * once (its dedupe key), auto-approve where the policy says `auto`, expire what went stale,
 * then apply every approved action. `--dry-run` stops after planning and writes nothing.
 */
export class PolicyRunner {
  private readonly logger = new Logger(PolicyRunner.name);
  readonly executor: ActionExecutor;

  constructor(private readonly deps: PolicyDeps) {
    this.executor = new ActionExecutor(deps);
  }

  async plan(onlyClients?: string[]) {
    const { dataSource, clock } = this.deps;
    const { stripe, policy } = await this.deps.account();
    const now = clock.now();
    const manager = dataSource.manager;
    const workStatus = await planWorkStatus(manager, policy, now, onlyClients);
    if (onlyClients) return { planned: workStatus.planned.filter((p) => p.kind === 'work_resume'), stale: workStatus.stale };
    const planned = [...(await planLateFees(manager, policy, now)), ...workStatus.planned, ...(await planPriceIncreases(manager, stripe, policy, now))];
    return { planned, stale: workStatus.stale };
  }

  async run(options: { dryRun?: boolean } = {}): Promise<PolicyRunResult> {
    const { planned, stale } = await this.plan();
    const result: PolicyRunResult = { dryRun: !!options.dryRun, planned, created: 0, applied: 0, failed: 0, retryLater: 0, expired: 0, actions: [] };
    if (options.dryRun) return result;
    result.expired = await this.expire(stale);
    result.created = await this.record(planned);
    await this.applyApproved(result);
    await this.linkFeesToTheirInvoices();
    this.logger.log(
      `policies: ${planned.length} planned, ${result.created} new, ${result.applied} applied, ` +
        `${result.failed} failed, ${result.retryLater} to retry, ${result.expired} expired`,
    );
    return result;
  }

  async isPaused(clientId: string): Promise<boolean> {
    return (await this.pausedAmong([clientId])).length > 0;
  }

  /** The clients among `clientIds` whose work is paused, in one query. */
  async pausedAmong(clientIds: string[]): Promise<string[]> {
    return pausedAmong(this.deps.dataSource.manager, clientIds);
  }

  /**
   * Right after a webhook changed a client's ledger: a paused client whose arrears are now
   * settled is resumed at once (and the owner told), without waiting for the cron.
   */
  async resumeIfSettled(clientId: string): Promise<ActionRecord[]> {
    const { planned, stale } = await this.plan([clientId]);
    await this.expire(stale);
    await this.record(planned);
    const result: PolicyRunResult = { dryRun: false, planned, created: 0, applied: 0, failed: 0, retryLater: 0, expired: 0, actions: [] };
    await this.applyApproved(result, clientId);
    return result.actions;
  }

  /**
   * A fee added as an invoice item joins the client's next invoice later; recording that
   * invoice is what lets the digest and the fees report say when the fee was collected.
   */
  private async linkFeesToTheirInvoices(): Promise<void> {
    const { dataSource, clock } = this.deps;
    const { stripe } = await this.deps.account();
    const pending = await actions.feesAwaitingTheirInvoice(dataSource.manager);
    for (const fee of pending) {
      // Best effort, retried every run: one fee Stripe cannot show now (an outage, a deleted item) never stops the others.
      const item = await stripe.invoiceItems.retrieve(fee.item).catch((error: unknown) => {
        this.logger.warn(`fee action=${fee.id}: invoice item ${fee.item} not read from Stripe: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
      const invoice = typeof item?.invoice === 'string' ? item.invoice : item?.invoice?.id;
      if (invoice) await actions.note(dataSource.manager, fee.id, clock.now(), { stripeIds: { invoice } });
    }
  }

  private async expire(stale: { actionId: string; reason: string }[]): Promise<number> {
    const { dataSource, clock } = this.deps;
    const now = clock.now();
    const overdue = await actions.overdueProposals(dataSource.manager, now);
    const all = [...stale, ...overdue.map((actionId) => ({ actionId, reason: 'the owner did not decide before the approval expired' }))];
    let expired = 0;
    for (const { actionId, reason } of all) {
      await dataSource
        .transaction((m) => actions.transition(m, actionId, 'expired', 'system', now, { note: reason }))
        .then(() => (expired += 1))
        .catch((error: unknown) => {
          if (error instanceof DomainError && error.code === 'conflict') return; // decided meanwhile by the owner: their decision stands
          throw error;
        });
    }
    return expired;
  }

  private async record(planned: PlannedAction[]): Promise<number> {
    const { dataSource, clock } = this.deps;
    const { accountId, policy } = await this.deps.account();
    let created = 0;
    for (const plan of planned) {
      await dataSource.transaction(async (manager) => {
        const now = clock.now();
        const expiresAt = plan.mode === 'approve' ? new Date(now.getTime() + policy.approvalLinkTtlHours * 3_600_000) : null;
        const action = await actions.propose(manager, plan, accountId, now, expiresAt);
        if (!action) return;
        created += 1;
        if (plan.mode === 'auto') await actions.transition(manager, action.id, 'approved', 'system', now, { note: 'policy mode auto' });
        else await this.executor.email(manager, action);
      });
    }
    return created;
  }

  private async applyApproved(result: PolicyRunResult, onlyClient?: string): Promise<void> {
    const approved = (await actions.approved(this.deps.dataSource.manager)).filter((a) => !onlyClient || a.clientId === onlyClient);
    for (const action of approved) {
      const { action: outcome, byThisCall } = await this.executor.executeOnce(action.id, 'system');
      if (!byThisCall) continue; // applied (or decided) by a run beside this one: theirs to report
      result.actions.push(outcome);
      if (outcome.status === 'applied') result.applied += 1;
      else if (outcome.status === 'failed') result.failed += 1;
      else if (outcome.status === 'approved') result.retryLater += 1;
      else if (outcome.status === 'expired') result.expired += 1;
    }
  }
}
