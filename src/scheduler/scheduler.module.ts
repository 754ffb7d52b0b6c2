import { Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CronJobs } from './cron-jobs.service';
import { JobRunner } from './job-runner.service';

/** Cron wiring. Features register their ticks with SchedulerRegistry and run them through JobRunner. */
@Global()
@Module({ imports: [ScheduleModule.forRoot()], providers: [JobRunner, CronJobs], exports: [JobRunner, CronJobs] })
export class SchedulerModule {}
