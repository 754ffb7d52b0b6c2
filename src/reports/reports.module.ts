import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config';
import { ReportsController } from './http/reports.controller';
import { reportSettingsFrom, ReportsService } from './reports.service';

/** Accountant reports over the ledger: read-only SQL, rendered as JSON, CSV or XLSX. */
@Module({
  controllers: [ReportsController],
  providers: [
    {
      provide: ReportsService,
      inject: [DataSource, APP_CONFIG],
      useFactory: (dataSource: DataSource, config: AppConfig) => new ReportsService(dataSource, reportSettingsFrom(config.policy.detection)),
    },
  ],
  exports: [ReportsService],
})
export class ReportsModule {}
