import { BeforeApplicationShutdown, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, Clock, ServerClock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config';
import { emptyLedgerForFreshSandbox } from '../demo/fresh-sandbox-ledger';
import { openStripeConnection, StripeConnection } from './stripe-connection';
import { SANDBOX_RUN, STRIPE_CONNECTION, type SandboxRun } from './stripe.tokens';
import { LedgerChanges } from './sync/ledger-changes';
import { StripeSyncService } from './sync/stripe-sync.service';
import { StripeWebhookController } from './webhooks/stripe-webhook.controller';

@Module({
  controllers: [StripeWebhookController],
  providers: [
    {
      provide: STRIPE_CONNECTION,
      inject: [APP_CONFIG, CLOCK, DataSource, { token: SANDBOX_RUN, optional: true }],
      useFactory: async (config: AppConfig, clock: Clock, dataSource: DataSource, run?: SandboxRun | null) => {
        const connection = await openStripeConnection(config, { webhookUrl: run?.webhookUrl });
        const sandbox = connection.sandbox;
        // `payrisk start` / `payrisk demo` on the built-in sandbox: a new sandbox, a new ledger (embedded database only).
        if (sandbox && run) await emptyLedgerForFreshSandbox(dataSource, { embedded: !config.database.url });
        if (sandbox && clock instanceof ServerClock) clock.follow(() => sandbox.now());
        return connection;
      },
    },
    {
      provide: StripeSyncService,
      inject: [DataSource, STRIPE_CONNECTION, APP_CONFIG],
      useFactory: (dataSource: DataSource, connection: StripeConnection, config: AppConfig) =>
        new StripeSyncService(dataSource, connection.stripe, connection.accountId, undefined, { patience: StripeSyncService.patienceFrom(config.policy.stripe) }),
    },
    LedgerChanges,
  ],
  exports: [STRIPE_CONNECTION, StripeSyncService, LedgerChanges],
})
export class StripeModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(STRIPE_CONNECTION) private readonly connection: StripeConnection,
    private readonly changes: LedgerChanges,
  ) {}

  /** Reactions to webhooks still use the database: they finish before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.changes.settled();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
