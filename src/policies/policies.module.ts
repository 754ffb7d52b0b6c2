import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { resolveLinkSecret } from '../auth/link-secret';
import { CLOCK, Clock } from '../common/clock';
import { CLIENT_NOTIFIER, ClientNotifier } from '../common/notifications/client-notifier.port';
import { OWNER_NOTIFIER, OwnerNotifier } from '../common/notifications/owner-notifier.port';
import { APP_CONFIG, AppConfig } from '../config';
import { AccountRuntimes } from '../accounts/runtime/account-runtimes';
import { StripeModule } from '../stripe/stripe.module';
import { ActionsService } from './actions.service';
import { ApprovalsController } from './approvals/approvals.controller';
import { ActionsController } from './http/actions.controller';
import { PoliciesController } from './http/policies.controller';
import { WorkStatusController } from './http/work-status.controller';
import { PoliciesScheduler } from './policies.scheduler';
import { POLICY_DEPS } from './policies.tokens';
import type { PolicyDeps } from './policy-deps';
import { PolicyRunner } from './policy-runner';

/** Late fees, work pause/resume and price increases: planned, approved, applied and audited. */
@Module({
  imports: [StripeModule],
  controllers: [ActionsController, PoliciesController, WorkStatusController, ApprovalsController],
  providers: [
    {
      provide: POLICY_DEPS,
      inject: [DataSource, AccountRuntimes, OWNER_NOTIFIER, CLIENT_NOTIFIER, CLOCK, APP_CONFIG],
      useFactory: (
        dataSource: DataSource,
        runtimes: AccountRuntimes,
        notifier: OwnerNotifier,
        clientNotifier: ClientNotifier,
        clock: Clock,
        config: AppConfig,
      ): PolicyDeps => ({
        dataSource,
        // The scoped account's Stripe client and policy file (the environment's outside a scope).
        account: () => runtimes.current(),
        notifier,
        clientNotifier,
        clock,
        config,
        linkSecret: resolveLinkSecret(config),
      }),
    },
    { provide: PolicyRunner, inject: [POLICY_DEPS], useFactory: (deps: PolicyDeps) => new PolicyRunner(deps) },
    {
      provide: ActionsService,
      inject: [POLICY_DEPS, PolicyRunner],
      useFactory: (deps: PolicyDeps, runner: PolicyRunner) => new ActionsService(deps, runner.executor),
    },
    PoliciesScheduler,
  ],
  exports: [PolicyRunner, ActionsService],
})
export class PoliciesModule {}
