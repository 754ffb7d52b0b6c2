import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config';
import { DiscountRequestService } from './discount-request.service';
import { ClientsController } from './http/clients.controller';
import { RiskAssessmentService } from './risk-assessment.service';

@Module({
  controllers: [ClientsController],
  providers: [
    {
      provide: RiskAssessmentService,
      inject: [DataSource, APP_CONFIG],
      useFactory: (dataSource: DataSource, config: AppConfig) => new RiskAssessmentService(dataSource, config.policy.detection),
    },
    { provide: DiscountRequestService, inject: [DataSource], useFactory: (dataSource: DataSource) => new DiscountRequestService(dataSource) },
  ],
  exports: [RiskAssessmentService, DiscountRequestService],
})
export class RiskModule {}
