import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors';
import { runSerialized } from '../../database/advisory-lock';
import { findClient } from '../../ledger/queries/clients.query';
import { judgeArrears } from '../domain/work-pause-rule';
import type { Actor } from '../domain/action';
import type { ActionRecord } from '../persistence/action-row';
import * as actions from '../persistence/actions.query';
import { setWorkStatus } from '../persistence/work-status.query';
import { loadOutstanding } from '../planning/outstanding-invoices.query';
import type { PolicyDeps } from '../policy-deps';
import { emailOwnerAbout } from './action-emails';
import { LateFeeStripeWriter } from './late-fee.stripe-writer';
import { PriceIncreaseStripeWriter } from './price-increase.stripe-writer';
import { describeFailure, isTransientStripeFailure } from './stripe-failure';
import { WorkStatusStripeWriter } from './work-status.stripe-writer';

/**
 * Applies approved actions in Stripe, then records the outcome. One action is applied by
 * one process at a time (an advisory lock on its id); the Stripe writes carry keys derived
 * from the action id, so a crash between Stripe and the database is repaired by simply
 * applying again: Stripe replays its first answers and nothing is created twice.
 */
export class ActionExecutor {
  private readonly logger = new Logger(ActionExecutor.name);

  constructor(private readonly deps: PolicyDeps) {}

  /** Writes to Stripe for one action without recording anything (also what a crash leaves behind), with the scoped account's client. */
  async writeToStripe(action: ActionRecord): Promise<Record<string, string>> {
    const { stripe, accountId } = await this.deps.account();
    // Never one account's action with another's key: a mix-up fails here, before Stripe is called.
    if (action.stripeAccountId !== accountId)
      throw new Error(`action ${action.id} belongs to account ${action.stripeAccountId}, not to ${accountId} this work runs for`);
    switch (action.kind) {
      case 'late_fee':
        return new LateFeeStripeWriter(stripe).apply(action);
      case 'work_pause':
      case 'work_resume':
        return new WorkStatusStripeWriter(stripe).apply(action);
      case 'price_increase':
        return new PriceIncreaseStripeWriter(stripe).apply(action);
    }
  }

  async execute(actionId: string, actor: Actor): Promise<ActionRecord> {
    return (await this.executeOnce(actionId, actor)).action;
  }

  /**
   * Like `execute`, and says whether this call did the work (`byThisCall`): an action another
   * process or run applied, failed or expired meanwhile comes back as it is, with `false`, so a
   * caller counts only what it did itself (four parallel runs report each applied action once).
   */
  async executeOnce(actionId: string, actor: Actor): Promise<{ action: ActionRecord; byThisCall: boolean }> {
    const { dataSource } = this.deps;
    return runSerialized(dataSource, `payrisk:action:${actionId}`, async () => {
      const action = await actions.get(dataSource.manager, actionId);
      if (action.status !== 'approved') return { action, byThisCall: false };
      return { action: await this.applyLocked(action, actor), byThisCall: true };
    });
  }

  /** Applies an action that is `approved`, under its lock. */
  private async applyLocked(action: ActionRecord, actor: Actor): Promise<ActionRecord> {
    const { dataSource, clock } = this.deps;
    if (action.kind === 'work_pause' && !(await this.stillWarranted(action))) {
      return dataSource.transaction((m) =>
        actions.transition(m, action.id, 'expired', actor, clock.now(), { note: 'the arrears were settled before the pause was applied; nothing changed' }),
      );
    }
    let stripeIds: Record<string, string>;
    try {
      stripeIds = await this.writeToStripe(action);
    } catch (error) {
      const message = describeFailure(error);
      if (isTransientStripeFailure(error)) {
        this.logger.warn(`action ${action.id} (${action.kind}) will be retried on the next run: ${message}`);
        await actions.note(dataSource.manager, action.id, clock.now(), { error: `will retry: ${message}` });
        return { ...action, error: `will retry: ${message}` };
      }
      return dataSource.transaction(async (manager) => {
        const failed = await actions.transition(manager, action.id, 'failed', actor, clock.now(), { error: message });
        // A pause must never outlive the arrears because Stripe refused the mirror (e.g. a
        // deleted customer): payrisk's own status clears, and the owner is told what failed.
        if (action.kind === 'work_resume') await setWorkStatus(manager, action.clientId, 'active');
        await this.email(manager, failed);
        return failed;
      });
    }
    return dataSource.transaction(async (manager) => {
      // The notice is written first (same transaction): when it cannot be sent, the reason goes into the audit row and the owner's email.
      const noticeNotSent = action.kind === 'price_increase' && action.params.sendNotice === true ? await this.sendNotice(manager, action) : undefined;
      const note = noticeNotSent ? `the notice was not sent: ${noticeNotSent}` : undefined;
      const applied = await actions.transition(manager, action.id, 'applied', actor, clock.now(), { stripeIds, error: null, note });
      if (action.kind === 'work_pause' || action.kind === 'work_resume') {
        await setWorkStatus(manager, action.clientId, action.kind === 'work_pause' ? 'paused' : 'active');
      }
      await this.email(manager, applied, noticeNotSent);
      return applied;
    });
  }

  /** Takes an applied late fee back out of Stripe and records the waiver. */
  async waive(actionId: string, actor: Actor): Promise<ActionRecord> {
    const { dataSource, clock } = this.deps;
    return runSerialized(dataSource, `payrisk:action:${actionId}`, async () => {
      const action = await actions.get(dataSource.manager, actionId);
      if (action.kind !== 'late_fee') throw new DomainError('conflict', `Only late fees can be waived; action ${action.id} is a ${action.kind}`);
      if (action.status !== 'applied') return actions.transition(dataSource.manager, action.id, 'waived', actor, clock.now()); // refused with the reason
      const stripeIds = await new LateFeeStripeWriter((await this.deps.account()).stripe).waive(action);
      return dataSource.transaction((manager) => actions.transition(manager, action.id, 'waived', actor, clock.now(), { stripeIds, note: 'fee waived' }));
    });
  }

  async email(manager: EntityManager, action: ActionRecord, noticeNotSent?: string): Promise<void> {
    const client = await findClient(manager, action.clientId);
    await emailOwnerAbout(manager, action, {
      notifier: this.deps.notifier,
      publicUrl: this.deps.config.publicUrl,
      linkSecret: this.deps.linkSecret,
      clientName: client?.name ?? null,
      now: this.deps.clock.now(),
      noticeNotSent,
    });
  }

  /**
   * The drafted notice, to the client's email in Stripe (sent once). Returns why it was not
   * sent (no email, or one that is not exactly one valid address): then the owner's copy is all there is.
   */
  private async sendNotice(manager: EntityManager, action: ActionRecord): Promise<string | undefined> {
    const client = await findClient(manager, action.clientId);
    const effective = String(action.params.effectiveAt).slice(0, 10);
    const outcome = await this.deps.clientNotifier.send(manager, {
      clientId: action.clientId,
      to: client?.email ?? '',
      dedupeKey: `notice:${action.id}`,
      subject: `Our prices for your account from ${effective}`,
      text: String(action.params.notice),
    });
    if (outcome.sent) return undefined;
    this.logger.warn(`action ${action.id}: the price-increase notice to ${action.clientId} was not sent: ${outcome.reason}`);
    return outcome.reason;
  }

  private async stillWarranted(action: ActionRecord): Promise<boolean> {
    const now = this.deps.clock.now();
    const outstanding = await loadOutstanding(this.deps.dataSource.manager, now, [action.clientId]);
    const { policy } = await this.deps.account();
    return judgeArrears(outstanding.get(action.clientId) ?? [], policy.workPause, policy.currency, now).warranted;
  }
}
