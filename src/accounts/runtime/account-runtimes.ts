import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DomainError } from '../../common/errors';
import type { AppConfig } from '../../config';
import { scopedAccountId } from '../../database/account-scope';
import type { StripeConnection } from '../../stripe/stripe-connection';
import type { LedgerChanges } from '../../stripe/sync/ledger-changes';
import type { StripeSyncService } from '../../stripe/sync/stripe-sync.service';
import { WebhookInbox } from '../../stripe/webhooks/webhook-inbox';
import { findAccount, listAccounts, markAccountRemoved } from '../accounts.query';
import { loadDataKey, type DataKey } from '../secrets/data-key';
import { addedAccountRuntime, environmentRuntime, type AccountRuntime } from './account-runtime';
import { PolicyFiles } from './policy-files';

/** How long a built runtime is used before its account row is read again. */
const RUNTIME_REREAD_MS = 30_000;

interface CachedRuntime {
  runtime: Promise<AccountRuntime>;
  /** performance.now() when the row was last read. */
  checkedAt: number;
  /** The row's updated_at and removed_at as read: unchanged, the runtime is kept. */
  version: string | undefined;
}

export interface AccountRuntimesDeps {
  dataSource: DataSource;
  config: AppConfig;
  /** The environment's account: STRIPE_SECRET_KEY or the built-in sandbox. */
  connection: StripeConnection;
  changes: LedgerChanges;
  /** The environment account's sync and inbox (Nest's providers), so there is one of each per account. */
  environmentSync: StripeSyncService;
  environmentInbox: WebhookInbox;
  /** How long a built runtime is used before its account row is read again (default RUNTIME_REREAD_MS). */
  rereadAfterMs?: number;
}

/**
 * The runtime of every account this process works for, built on first use and kept: a
 * webhook, a job or a command for an account reads its runtime from memory (no database
 * read per webhook). `current()` is the runtime of the scoped account (`runForAccount`);
 * outside any scope, the environment's account, so one account configured by environment
 * variables works exactly as it always has. Each account also gets its own webhook inbox
 * (its own applier, in its own scope). The account's row is read again at most every
 * RUNTIME_REREAD_MS: the same runtime while the row is unchanged, a new one after `payrisk
 * accounts add` again (a new key, a new policy file), none once removed; `forget(id)` at once.
 */
export class AccountRuntimes {
  private readonly logger = new Logger(AccountRuntimes.name);
  private readonly runtimes = new Map<string, CachedRuntime>();
  private readonly inboxes = new Map<string, WebhookInbox>();
  private readonly policies = new PolicyFiles();
  private dataKey?: DataKey;
  readonly environment: AccountRuntime;

  constructor(private readonly deps: AccountRuntimesDeps) {
    this.environment = environmentRuntime(deps.connection, deps.config, deps.dataSource, deps.environmentSync);
    this.inboxes.set(this.environment.accountId, deps.environmentInbox);
  }

  /** The runtime of the account the work under way is for (`scopedAccountId()`), or the environment's outside a scope. */
  current(): Promise<AccountRuntime> {
    return this.forAccount(scopedAccountId() ?? this.environment.accountId);
  }

  /** One account's runtime; an id that is neither added (and not removed) nor the environment's is `not_found`. */
  forAccount(stripeAccountId: string): Promise<AccountRuntime> {
    const cached = this.runtimes.get(stripeAccountId);
    if (cached && performance.now() - cached.checkedAt < (this.deps.rereadAfterMs ?? RUNTIME_REREAD_MS)) return cached.runtime;
    const entry = { checkedAt: performance.now(), version: cached?.version } as CachedRuntime;
    entry.runtime = this.resolve(stripeAccountId, entry, cached);
    // A failed build (no such account, a key that does not open) is not kept: the next call tries again.
    entry.runtime.catch(() => {
      if (this.runtimes.get(stripeAccountId) === entry) this.runtimes.delete(stripeAccountId);
    });
    this.runtimes.set(stripeAccountId, entry);
    return entry.runtime;
  }

  /**
   * The accounts work runs for, by name: every added account not removed, or, when none is
   * added, the environment's (the one account of STRIPE_SECRET_KEY or the built-in sandbox).
   */
  async activeAccountIds(): Promise<string[]> {
    const added = await listAccounts(this.deps.dataSource.manager);
    return added.length > 0 ? added.map((a) => a.stripeAccountId) : [this.environment.accountId];
  }

  /** The account's webhook inbox (started on first use: it sweeps what an earlier process stored for the account). */
  async inboxFor(stripeAccountId: string): Promise<WebhookInbox> {
    const known = this.inboxes.get(stripeAccountId);
    if (known) return known;
    const runtime = await this.forAccount(stripeAccountId);
    const again = this.inboxes.get(stripeAccountId);
    if (again) return again;
    const inbox = new WebhookInbox(this.deps.dataSource, { accountId: runtime.accountId }, runtime.sync, this.deps.changes);
    this.inboxes.set(stripeAccountId, inbox);
    inbox.onApplicationBootstrap();
    return inbox;
  }

  /** Starts the inbox of every added account, so events an earlier process stored but did not apply are applied now. */
  async sweepInboxes(): Promise<void> {
    for (const id of await this.activeAccountIds()) {
      await this.inboxFor(id).catch((error: unknown) =>
        this.logger.error(`account=${id}: its webhook inbox did not start: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }

  /** Drops a cached runtime (an account removed or added again with a new key while the process runs). */
  forget(stripeAccountId: string): void {
    this.runtimes.delete(stripeAccountId);
  }

  /**
   * A connected account that revoked the platform's access: marked removed (no work runs for
   * it; its data stays) and dropped here at once. Returns its name, or undefined when it was
   * not a connected account still at work.
   */
  async disconnect(stripeAccountId: string, at: Date): Promise<string | undefined> {
    const row = await findAccount(this.deps.dataSource.manager, stripeAccountId);
    if (!row || row.connection !== 'connect' || row.removedAt !== null) return undefined;
    const removed = await markAccountRemoved(this.deps.dataSource.manager, stripeAccountId, at);
    this.forget(stripeAccountId);
    return removed ? row.name : undefined;
  }

  /** Stops every inbox but the environment's (Nest stops that one): the batch in flight finishes first. */
  async stop(): Promise<void> {
    await Promise.all([...this.inboxes.values()].filter((inbox) => inbox !== this.deps.environmentInbox).map((inbox) => inbox.stop()));
  }

  /**
   * Reads the account's row: the runtime built before is kept while the row is unchanged (its
   * Stripe client and request budget go on), rebuilt when the key or settings changed, and the
   * account is `not_found` once removed, so `payrisk accounts remove` or `add` run by another
   * process reach this one within RUNTIME_REREAD_MS.
   */
  private async resolve(stripeAccountId: string, entry: CachedRuntime, before: CachedRuntime | undefined): Promise<AccountRuntime> {
    const row = await findAccount(this.deps.dataSource.manager, stripeAccountId);
    entry.version = row ? `${row.updatedAt.getTime()}:${row.removedAt?.getTime() ?? ''}` : 'none';
    if (before && before.version === entry.version) return before.runtime;
    if (row && row.removedAt === null) {
      return addedAccountRuntime(row, {
        config: this.deps.config,
        dataSource: this.deps.dataSource,
        policies: this.policies,
        dataKey: () => (this.dataKey ??= loadDataKey(this.deps.config)),
        platform: { secretKey: this.deps.connection.secretKey, apiBase: this.deps.connection.apiBase },
      });
    }
    if (stripeAccountId === this.environment.accountId) return this.environment;
    throw new DomainError(
      'not_found',
      row
        ? `account ${row.name} (${row.stripeAccountId}) was removed; add it again with \`payrisk accounts add\` to work on it`
        : `no Stripe account ${stripeAccountId} is added here; \`payrisk accounts list\` shows the accounts`,
      { account: stripeAccountId },
    );
  }
}
