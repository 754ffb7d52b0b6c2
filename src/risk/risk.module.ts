import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CURRENT_ACCOUNT_CONFIG, type CurrentAccountConfig } from '../config';
import { DiscountRequestService } from './discount-request.service';
import { ClientsController } from './http/clients.controller';
import { RiskAssessmentService } from './risk-assessment.service';

@Module({
  controllers: [ClientsController],
  providers: [
    {
      provide: RiskAssessmentService,
      // Each account's detection settings come from its own policy file.
      inject: [DataSource, CURRENT_ACCOUNT_CONFIG],
      useFactory: (dataSource: DataSource, accountConfig: CurrentAccountConfig) =>
        new RiskAssessmentService(dataSource, async () => (await accountConfig()).policy.detection),
    },
    { provide: DiscountRequestService, inject: [DataSource], useFactory: (dataSource: DataSource) => new DiscountRequestService(dataSource) },
  ],
  exports: [RiskAssessmentService, DiscountRequestService],
})
export class RiskModule {}
