import { Module } from '@nestjs/common';
import { DashboardController } from './http/dashboard.controller';

/** The dashboard's read endpoints under /api/dashboard (the SPA itself is served by serveDashboard). */
@Module({
  controllers: [DashboardController],
})
export class DashboardModule {}
