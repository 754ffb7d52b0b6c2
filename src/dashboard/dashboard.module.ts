import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module';
import { PoliciesModule } from '../policies/policies.module';
import { RiskModule } from '../risk/risk.module';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { AccountsOverviewController } from './http/accounts-overview.controller';
import { DashboardController } from './http/dashboard.controller';
import { MonthFiguresRefresher } from './month-figures.refresher';

/** The dashboard's read endpoints under /api/dashboard (the SPA itself is served by serveDashboard);
 * the overview's past months are kept fresh in the background by MonthFiguresRefresher. */
@Module({
  imports: [RiskModule, PoliciesModule, SchedulerModule, PipelineModule],
  controllers: [DashboardController, AccountsOverviewController],
  providers: [MonthFiguresRefresher],
})
export class DashboardModule {}
