import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { CronJobs } from '../scheduler/cron-jobs.service';
import { JobRunner } from '../scheduler/job-runner.service';
import { RiskAlertProducer } from './alerts/risk-alert.producer';
import { WeeklyDigestService } from './digest/weekly-digest.service';
import { OutboxSender } from './outbox/outbox-sender';
import { OutboxService } from './outbox/outbox.service';

/**
 * Cron ticks of the owner emails, each under JobRunner's advisory lock:
 * `outbox` (scheduler.outbox) delivers due emails; `alerts` (scheduler.syncCatchUp, i.e.
 * after the detection that follows each catch-up) turns new assessments into alerts;
 * `digest` (notifications.digest.cron) writes the weekly digest.
 */
@Injectable()
export class NotificationsScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationsScheduler.name);
  private kick?: NodeJS.Timeout;
  private sending?: Promise<unknown>;

  constructor(
    private readonly cron: CronJobs,
    private readonly jobs: JobRunner,
    private readonly sender: OutboxSender,
    private readonly alerts: RiskAlertProducer,
    private readonly digest: WeeklyDigestService,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { scheduler, notifications } = this.config.policy;
    this.add('outbox', scheduler.outbox, () => this.sender.sendDue());
    this.add('alerts', scheduler.syncCatchUp, () => this.alerts.run());
    if (notifications.digest.enabled) this.add('digest', notifications.digest.cron, () => this.digest.enqueue());
    // An approval, a pause or a resume should reach the owner in seconds, not at the next tick:
    // a new row schedules one delivery a second later (its transaction has committed by then;
    // if not, the cron takes it). Batched alerts still wait for their window (next_attempt_at).
    this.outbox.onEnqueued(() => {
      this.kick ??= setTimeout(() => {
        this.kick = undefined;
        this.sending = this.jobs.run('outbox', () => this.sender.sendDue());
      }, 1_000);
    });
  }

  /** Before the pool closes: no new delivery starts, the one under way finishes (rows left pending go out on the next start). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.kick) clearTimeout(this.kick);
    await this.sending;
  }

  private add(name: string, cron: string, work: () => Promise<unknown>): void {
    this.cron.register(`notifications:${name}`, cron, () => this.jobs.run(name, work));
    this.logger.log(`cron notifications:${name} registered (${cron})`);
  }
}
