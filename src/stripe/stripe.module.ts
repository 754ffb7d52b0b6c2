import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config';
import { RiskModule } from '../risk/risk.module';
import { openStripeConnection, StripeConnection } from './stripe-connection';
import { STRIPE_CONNECTION } from './stripe.tokens';
import { LedgerChanges } from './sync/ledger-changes';
import { StripeSyncService } from './sync/stripe-sync.service';
import { SyncScheduler } from './sync/sync.scheduler';
import { StripeWebhookController } from './webhooks/stripe-webhook.controller';

@Module({
  imports: [RiskModule],
  controllers: [StripeWebhookController],
  providers: [
    { provide: STRIPE_CONNECTION, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openStripeConnection(config) },
    {
      provide: StripeSyncService,
      inject: [DataSource, STRIPE_CONNECTION],
      useFactory: (dataSource: DataSource, connection: StripeConnection) => new StripeSyncService(dataSource, connection.stripe, connection.accountId),
    },
    SyncScheduler,
    LedgerChanges,
  ],
  exports: [STRIPE_CONNECTION, StripeSyncService, LedgerChanges],
})
export class StripeModule implements OnApplicationShutdown {
  constructor(
    @Inject(STRIPE_CONNECTION) private readonly connection: StripeConnection,
    private readonly changes: LedgerChanges,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.changes.settled();
    await this.connection.close();
  }
}
