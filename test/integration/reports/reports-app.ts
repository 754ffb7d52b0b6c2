import type { INestApplication } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../../../src/auth/auth.module';
import { CLOCK, FixedClock } from '../../../src/common/clock';
import { CommonModule } from '../../../src/common/common.module';
import { DomainErrorFilter } from '../../../src/common/errors';
import { HttpValidationPipe } from '../../../src/common/http/validation-pipe';
import { CURRENT_ACCOUNT_CONFIG, fixedAccountConfig } from '../../../src/config';
import { ConfigModule } from '../../../src/config/config.module';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import { ReportsModule } from '../../../src/reports/reports.module';
import { STRIPE_CONNECTION } from '../../../src/stripe/stripe.tokens';
import { TEST_ACCOUNT } from '../../support/ledger-facts';

const config = testConfig();

/** The account the server works for, and its settings, as StripeModule provides them: the one the report ledger is seeded for. */
@Global()
@Module({
  providers: [
    { provide: STRIPE_CONNECTION, useValue: { accountId: TEST_ACCOUNT } },
    { provide: CURRENT_ACCOUNT_CONFIG, useValue: fixedAccountConfig(config) },
  ],
  exports: [STRIPE_CONNECTION, CURRENT_ACCOUNT_CONFIG],
})
class ReportLedgerAccountModule {}
import { testConfig } from '../../support/test-config';

/**
 * The reports feature as the app wires it (bearer token, the app's pipe and error filter, `/api`),
 * over a given database at a fixed time, without the app's first-start Stripe sync writing into it.
 */
export async function startReportsApp(databaseUrl: string, now: Date, token: string): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      TypeOrmModule.forRoot(dataSourceOptions(databaseUrl)),
      CommonModule,
      ReportLedgerAccountModule,
      AuthModule.forRoot(token),
      ReportsModule,
    ],
  })
    .overrideProvider(CLOCK)
    .useValue(new FixedClock(now))
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(new HttpValidationPipe());
  app.useGlobalFilters(new DomainErrorFilter());
  await app.init();
  return app;
}
