import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runExclusive } from '../database/advisory-lock';

export type JobOutcome<T> = { status: 'ran'; result: T; ms: number } | { status: 'skipped' } | { status: 'failed'; error: string };

/**
 * Every cron tick goes through here: it runs under the Postgres advisory lock
 * `payrisk:job:<job>`, `job` being the cron's name (`notifications:outbox`), so a tick runs
 * once across all instances, and a failure is logged, never thrown into the scheduler.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(job: string, work: () => Promise<T>): Promise<JobOutcome<T>> {
    const started = Date.now();
    try {
      const outcome = await runExclusive(this.dataSource, `payrisk:job:${job}`, work);
      if (!outcome.ran) {
        this.logger.log(`job=${job} skipped: another instance holds the lock`);
        return { status: 'skipped' };
      }
      const ms = Date.now() - started;
      this.logger.log(`job=${job} finished in ${ms} ms`);
      return { status: 'ran', result: outcome.result, ms };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`job=${job} failed: ${message}`);
      return { status: 'failed', error: message };
    }
  }
}
