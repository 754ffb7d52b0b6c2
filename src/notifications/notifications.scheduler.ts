import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG, AppConfig } from '../config';
import { JobRunner } from '../scheduler/job-runner.service';
import { RiskAlertProducer } from './alerts/risk-alert.producer';
import { WeeklyDigestService } from './digest/weekly-digest.service';
import { OutboxSender } from './outbox/outbox-sender';

/**
 * Cron ticks of the owner emails, each under JobRunner's advisory lock:
 * `outbox` (scheduler.outbox) delivers due emails; `alerts` (scheduler.syncCatchUp, i.e.
 * after the detection that follows each catch-up) turns new assessments into alerts;
 * `digest` (notifications.digest.cron) writes the weekly digest.
 */
@Injectable()
export class NotificationsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationsScheduler.name);

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly jobs: JobRunner,
    private readonly sender: OutboxSender,
    private readonly alerts: RiskAlertProducer,
    private readonly digest: WeeklyDigestService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { scheduler, notifications } = this.config.policy;
    this.add('outbox', scheduler.outbox, () => this.sender.sendDue());
    this.add('alerts', scheduler.syncCatchUp, () => this.alerts.run());
    if (notifications.digest.enabled) this.add('digest', notifications.digest.cron, () => this.digest.enqueue());
  }

  private add(name: string, cron: string, work: () => Promise<unknown>): void {
    const job = CronJob.from({ cronTime: cron, onTick: () => void this.jobs.run(name, work), start: false, waitForCompletion: true });
    this.registry.addCronJob(`notifications:${name}`, job);
    job.start();
    this.logger.log(`cron notifications:${name} registered (${cron})`);
  }
}
