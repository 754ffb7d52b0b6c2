import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module';
import { RiskModule } from '../risk/risk.module';
import { StripeModule } from '../stripe/stripe.module';
import { SandboxController } from './sandbox.controller';
import { SandboxPipeline } from './sandbox-pipeline.service';

/** The built-in sandbox experience of `payrisk start`: the first pipeline run with a summary, and moving time. */
@Module({
  imports: [StripeModule, RiskModule, PipelineModule],
  controllers: [SandboxController],
  providers: [SandboxPipeline],
})
export class DemoModule {}
