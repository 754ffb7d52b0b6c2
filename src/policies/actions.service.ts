import { afterExpiry } from './action-words';
import { DomainError } from '../common/errors';
import type { Actor } from './domain/action';
import type { ActionExecutor } from './execution/action-executor';
import type { ActionRecord } from './persistence/action-row';
import * as actions from './persistence/actions.query';
import type { ActionFilter, AuditEntry } from './persistence/actions.query';
import type { PolicyDeps } from './policy-deps';
import { InAccountScope } from '../database/in-account-scope';

/** The owner's decisions on actions, from any door: email link, API or CLI. */
export class ActionsService {
  constructor(
    private readonly deps: PolicyDeps,
    private readonly executor: ActionExecutor,
  ) {}

  @InAccountScope((self: ActionsService) => self.deps.account().then((account) => account.accountId))
  list(filter: ActionFilter = {}): Promise<ActionRecord[]> {
    return actions.list(this.deps.dataSource.manager, filter);
  }

  @InAccountScope((self: ActionsService) => self.deps.account().then((account) => account.accountId))
  async get(id: string): Promise<ActionRecord & { audit: AuditEntry[] }> {
    const action = await actions.get(this.deps.dataSource.manager, id);
    return { ...action, audit: await actions.auditOf(this.deps.dataSource.manager, id) };
  }

  /** Approves a proposal and applies it at once; an expired proposal is marked so and refused. */
  @InAccountScope((self: ActionsService) => self.deps.account().then((account) => account.accountId))
  async approve(id: string, actor: Actor): Promise<ActionRecord> {
    const { dataSource, clock } = this.deps;
    const action = await actions.get(dataSource.manager, id);
    const now = clock.now();
    if (action.status === 'proposed' && action.expiresAt && action.expiresAt < now) {
      await dataSource.transaction((m) => actions.transition(m, id, 'expired', 'system', now, { note: 'approval came after the proposal expired' }));
      throw new DomainError('conflict', `Action ${id} expired on ${action.expiresAt.toISOString()} and cannot be approved; ${afterExpiry(action.kind)}`);
    }
    if (action.status === 'failed' && actor !== 'owner_link') {
      // A failed action can be retried by the owner once the cause is fixed (e.g. the customer restored).
      await dataSource.transaction((m) => actions.transition(m, id, 'approved', actor, now, { note: 'retry after failure', error: null }));
    } else {
      await dataSource.transaction((m) => actions.transition(m, id, 'approved', actor, now));
    }
    return this.executor.execute(id, actor);
  }

  @InAccountScope((self: ActionsService) => self.deps.account().then((account) => account.accountId))
  async reject(id: string, actor: Actor): Promise<ActionRecord> {
    const { dataSource, clock } = this.deps;
    return dataSource.transaction((m) => actions.transition(m, id, 'rejected', actor, clock.now()));
  }

  @InAccountScope((self: ActionsService) => self.deps.account().then((account) => account.accountId))
  waive(id: string, actor: Actor): Promise<ActionRecord> {
    return this.executor.waive(id, actor);
  }
}
