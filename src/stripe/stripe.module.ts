import { BeforeApplicationShutdown, Global, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountRuntimes } from '../accounts/runtime/account-runtimes';
import { CLOCK, Clock, ServerClock } from '../common/clock';
import { APP_CONFIG, AppConfig, CURRENT_ACCOUNT_CONFIG, type CurrentAccountConfig } from '../config';
import { resetForFreshSandbox } from '../database/fresh-sandbox-ledger';
import { openStripeConnection, StripeConnection } from './stripe-connection';
import { SANDBOX_RUN, STRIPE_CONNECTION, type SandboxRun } from './stripe.tokens';
import { LedgerChanges } from './sync/ledger-changes';
import { StripeSyncService } from './sync/stripe-sync.service';
import { StripeWebhookController } from './webhooks/stripe-webhook.controller';
import { WebhookInbox } from './webhooks/webhook-inbox';
import { WebhookIntake } from './webhooks/webhook-intake';

/** Global: every feature reads the runtime of the account it works for (AccountRuntimes). */
@Global()
@Module({
  controllers: [StripeWebhookController],
  providers: [
    {
      provide: STRIPE_CONNECTION,
      inject: [APP_CONFIG, CLOCK, DataSource, { token: SANDBOX_RUN, optional: true }],
      useFactory: async (config: AppConfig, clock: Clock, dataSource: DataSource, run?: SandboxRun | null) => {
        // `payrisk start` keeps its sandbox under <home>/sandbox; `payrisk demo` (one shot) starts anew each time.
        const connection = await openStripeConnection(config, {
          webhookUrl: run?.webhookUrl,
          persistSandbox: !!run && !run.oneShot,
          businesses: run?.businesses,
        });
        const sandbox = connection.sandbox;
        // A newly seeded sandbox (first start, after `payrisk sandbox reset` or `start --fresh`, and every demo)
        // gets a new ledger and outbox (embedded database only); a continued one keeps both.
        if (sandbox && run && !sandbox.restored) await resetForFreshSandbox(dataSource, { embedded: !config.database.url, homeDir: config.homeDir });
        if (sandbox && clock instanceof ServerClock) clock.follow(() => sandbox.now());
        return connection;
      },
    },
    {
      provide: StripeSyncService,
      inject: [DataSource, STRIPE_CONNECTION, APP_CONFIG],
      useFactory: (dataSource: DataSource, connection: StripeConnection, config: AppConfig) =>
        new StripeSyncService(dataSource, connection.stripe, connection.accountId, undefined, {
          patience: StripeSyncService.patienceFrom(config.policy.stripe),
        }),
    },
    LedgerChanges,
    WebhookInbox,
    WebhookIntake,
    {
      provide: AccountRuntimes,
      inject: [DataSource, APP_CONFIG, STRIPE_CONNECTION, LedgerChanges, StripeSyncService, WebhookInbox],
      useFactory: (
        dataSource: DataSource,
        config: AppConfig,
        connection: StripeConnection,
        changes: LedgerChanges,
        environmentSync: StripeSyncService,
        environmentInbox: WebhookInbox,
      ) => new AccountRuntimes({ dataSource, config, connection, changes, environmentSync, environmentInbox }),
    },
    {
      // Per-account settings (policy file, owner email) for the features that need only those.
      provide: CURRENT_ACCOUNT_CONFIG,
      inject: [AccountRuntimes],
      useFactory:
        (runtimes: AccountRuntimes): CurrentAccountConfig =>
        async () =>
          (await runtimes.current()).config,
    },
  ],
  exports: [STRIPE_CONNECTION, StripeSyncService, LedgerChanges, WebhookInbox, WebhookIntake, AccountRuntimes, CURRENT_ACCOUNT_CONFIG],
})
export class StripeModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(STRIPE_CONNECTION) private readonly connection: StripeConnection,
    private readonly changes: LedgerChanges,
    private readonly inbox: WebhookInbox,
    private readonly runtimes: AccountRuntimes,
  ) {}

  /** The added accounts' inboxes sweep what an earlier process stored for them (the environment's sweeps itself). */
  onApplicationBootstrap(): void {
    void this.runtimes
      .sweepInboxes()
      .catch((error: unknown) => new Logger(StripeModule.name).error(`sweeping the accounts' webhook inboxes failed: ${String(error)}`));
  }

  /** The batch being applied and the reactions to webhooks still use the database: they finish before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.runtimes.stop();
    await this.inbox.stop();
    await this.changes.settled();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
