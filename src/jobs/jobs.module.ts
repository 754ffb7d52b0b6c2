import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module';
import { StripeModule } from '../stripe/stripe.module';
import { JobQueue } from './job-queue';
import { PipelineJobs } from './pipeline-jobs';
import { PipelineTicks } from './pipeline-ticks';
import { PipelineWorker } from './pipeline-worker';

/** Queued jobs on pg-boss: the pipeline queue, its worker loops and the cron ticks that fill it (docs/architecture.md, "Jobs"). */
@Module({
  imports: [StripeModule, PipelineModule],
  providers: [JobQueue, PipelineJobs, PipelineWorker, PipelineTicks],
  exports: [JobQueue, PipelineJobs, PipelineWorker],
})
export class JobsModule {}
