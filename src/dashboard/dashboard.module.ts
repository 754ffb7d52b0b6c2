import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module';
import { PoliciesModule } from '../policies/policies.module';
import { RiskModule } from '../risk/risk.module';
import { DashboardController } from './http/dashboard.controller';

/** The dashboard's read endpoints under /api/dashboard (the SPA itself is served by serveDashboard). */
@Module({
  imports: [RiskModule, PoliciesModule, PipelineModule],
  controllers: [DashboardController],
})
export class DashboardModule {}
