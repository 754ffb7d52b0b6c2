import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { ConnectModule } from './accounts/connect/connect.module';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { AppConfig } from './config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { openAppDataSource } from './database/scoped-connections';
import { DashboardModule } from './dashboard/dashboard.module';
import { DemoModule } from './demo/demo.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { JobsRuntimeModule, type JobsRuntime } from './jobs/jobs-runtime';
import { NotificationsModule } from './notifications/notifications.module';
import { PipelineModule } from './pipeline/pipeline.module';
import { PoliciesModule } from './policies/policies.module';
import { ReportsModule } from './reports/reports.module';
import { RiskModule } from './risk/risk.module';
import { SchedulerModule } from './scheduler/scheduler.module';
import { SandboxWiringModule } from './stripe/sandbox-wiring.module';
import type { SandboxRun } from './stripe/stripe.tokens';
import { StripeModule } from './stripe/stripe.module';

export interface AppRuntime {
  config: AppConfig;
  /** Resolved connection URL: DATABASE_URL or the embedded cluster's. */
  databaseUrl: string;
  apiToken: string;
  logger: Logger;
  /** `payrisk start` / `payrisk demo` on the built-in sandbox (see SANDBOX_RUN). */
  sandbox?: SandboxRun;
  /** Web, worker or both (`payrisk start --role`, `payrisk worker`); default both. */
  jobs?: JobsRuntime;
}

@Module({})
export class AppModule {
  static forRoot(runtime: AppRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(runtime.config),
        LoggerModule.forRoot({
          pinoHttp: { logger: runtime.logger, autoLogging: { ignore: (req) => req.url === '/health' }, quietReqLogger: true },
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
        }),
        // The server's connections act as the application's role, in the account of the work they serve.
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(runtime.databaseUrl),
          dataSourceFactory: () => openAppDataSource(runtime.databaseUrl),
        }),
        CommonModule,
        AuthModule.forRoot(runtime.apiToken),
        SchedulerModule,
        JobsRuntimeModule.forRoot(runtime.jobs),
        HealthModule,
        NotificationsModule,
        SandboxWiringModule.forRoot(runtime.sandbox ?? null),
        StripeModule,
        ConnectModule,
        RiskModule,
        PoliciesModule,
        PipelineModule,
        JobsModule,
        DemoModule,
        ReportsModule,
        DashboardModule,
      ],
    };
  }
}
