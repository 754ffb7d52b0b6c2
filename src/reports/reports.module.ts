import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CURRENT_ACCOUNT_CONFIG, type CurrentAccountConfig } from '../config';
import { ReportsController } from './http/reports.controller';
import { reportSettingsFrom, ReportsService } from './reports.service';

/** Accountant reports over the ledger: read-only SQL, rendered as JSON, CSV or XLSX. */
@Module({
  controllers: [ReportsController],
  providers: [
    {
      provide: ReportsService,
      // The same words as the account's detection: its own policy file's settings.
      inject: [DataSource, CURRENT_ACCOUNT_CONFIG],
      useFactory: (dataSource: DataSource, accountConfig: CurrentAccountConfig) =>
        new ReportsService(dataSource, async () => reportSettingsFrom((await accountConfig()).policy.detection)),
    },
  ],
  exports: [ReportsService],
})
export class ReportsModule {}
