import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { CronJobs } from '../scheduler/cron-jobs.service';
import { JobRunner } from '../scheduler/job-runner.service';
import { OutboxSender } from './outbox/outbox-sender';
import { OutboxService } from './outbox/outbox.service';

/**
 * Delivery of the owner emails: `outbox` (scheduler.outbox) sends due emails under
 * JobRunner's advisory lock. Alerts and the digest are written by the pipeline
 * (src/pipeline), after the policies of the same run.
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
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.add('outbox', this.config.policy.scheduler.outbox, () => this.sender.sendDue());
    // An approval, a pause or a resume should reach the owner in seconds, not at the next tick:
    // a new row schedules one delivery a second later (its transaction has committed by then;
    // if not, the cron takes it). Batched alerts still wait for their window (next_attempt_at).
    this.outbox.onEnqueued(() => {
      this.kick ??= setTimeout(() => {
        this.kick = undefined;
        this.sending = this.jobs.run('notifications:outbox', () => this.sender.sendDue()); // the cron's job: one lock for both
      }, 1_000);
    });
  }

  /** Before the pool closes: no new delivery starts, the one under way finishes (rows left pending go out on the next start). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.kick) clearTimeout(this.kick);
    await this.sending;
  }

  private add(name: string, cron: string, work: () => Promise<unknown>): void {
    const job = `notifications:${name}`;
    this.cron.register(job, cron, () => this.jobs.run(job, work));
    this.logger.log(`cron notifications:${name} registered (${cron})`);
  }
}
