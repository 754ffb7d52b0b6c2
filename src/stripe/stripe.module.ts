import { BeforeApplicationShutdown, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, Clock, ServerClock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config';
import { resetForFreshSandbox } from '../database/fresh-sandbox-ledger';
import { openStripeConnection, StripeConnection } from './stripe-connection';
import { SANDBOX_RUN, STRIPE_CONNECTION, type SandboxRun } from './stripe.tokens';
import { LedgerChanges } from './sync/ledger-changes';
import { StripeSyncService } from './sync/stripe-sync.service';
import { StripeWebhookController } from './webhooks/stripe-webhook.controller';
import { WebhookInbox } from './webhooks/webhook-inbox';
import { WebhookIntake } from './webhooks/webhook-intake';

@Module({
  controllers: [StripeWebhookController],
  providers: [
    {
      provide: STRIPE_CONNECTION,
      inject: [APP_CONFIG, CLOCK, DataSource, { token: SANDBOX_RUN, optional: true }],
      useFactory: async (config: AppConfig, clock: Clock, dataSource: DataSource, run?: SandboxRun | null) => {
        // `payrisk start` keeps its sandbox under <home>/sandbox; `payrisk demo` (one shot) starts anew each time.
        const connection = await openStripeConnection(config, { webhookUrl: run?.webhookUrl, persistSandbox: !!run && !run.oneShot });
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
  ],
  exports: [STRIPE_CONNECTION, StripeSyncService, LedgerChanges, WebhookInbox, WebhookIntake],
})
export class StripeModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(STRIPE_CONNECTION) private readonly connection: StripeConnection,
    private readonly changes: LedgerChanges,
    private readonly inbox: WebhookInbox,
  ) {}

  /** The batch being applied and the reactions to webhooks still use the database: they finish before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.inbox.stop();
    await this.changes.settled();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
