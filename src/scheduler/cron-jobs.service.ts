import { Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';

/**
 * Where features register their cron ticks. A tick still running when the next one is due
 * is not started twice in this process (`waitForCompletion`); across instances, the tick's
 * own JobRunner lock does the same.
 */
@Injectable()
export class CronJobs {
  constructor(private readonly registry: SchedulerRegistry) {}

  register(name: string, cronTime: string, tick: () => Promise<unknown>): void {
    const onTick = async (): Promise<void> => {
      await tick().catch(() => undefined); // ticks go through JobRunner, which logs failures
    };
    const job = CronJob.from({ cronTime, onTick, start: false, waitForCompletion: true });
    this.registry.addCronJob(name, job);
    job.start();
  }
}
