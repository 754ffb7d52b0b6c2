import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { instanceAccountId } from '../accounts/scope/instance-account';
import { runForAccount } from '../database/account-scope';

/**
 * Where features register their cron ticks. A tick still running when the next one is due
 * is not started twice in this process (`waitForCompletion`); across instances, the tick's
 * own JobRunner lock does the same. Each tick runs in the scope of the server's account.
 */
@Injectable()
export class CronJobs {
  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly moduleRef: ModuleRef,
  ) {}

  register(name: string, cronTime: string, tick: () => Promise<unknown>): void {
    const onTick = async (): Promise<void> => {
      // TODO(jobs): ticks enqueue a job per account instead.
      await runForAccount(instanceAccountId(this.moduleRef), tick).catch(() => undefined); // ticks go through JobRunner, which logs failures
    };
    const job = CronJob.from({ cronTime, onTick, start: false, waitForCompletion: true });
    this.registry.addCronJob(name, job);
    job.start();
  }
}
