import { Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { JobRunner } from './job-runner.service';

/** Cron wiring. Features register their ticks with SchedulerRegistry and run them through JobRunner. */
@Global()
@Module({ imports: [ScheduleModule.forRoot()], providers: [JobRunner], exports: [JobRunner] })
export class SchedulerModule {}
