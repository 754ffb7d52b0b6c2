import { Module } from '@nestjs/common';
import { PoliciesModule } from '../policies/policies.module';
import { RiskModule } from '../risk/risk.module';
import { StripeModule } from '../stripe/stripe.module';
import { PipelineService } from './pipeline.service';

/** The conductor of a run (sync → detect → policies → alerts → digest → outbox) and the crons that start it. */
@Module({
  imports: [StripeModule, RiskModule, PoliciesModule],
  providers: [PipelineService],
  exports: [PipelineService],
})
export class PipelineModule {}
