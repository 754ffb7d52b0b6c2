import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type PgBossType from 'pg-boss';
import { DataSource } from 'typeorm';
import { runSerialized } from '../database/advisory-lock';

// pg-boss 10 is CommonJS with `export =`: the class itself.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PgBoss = require('pg-boss') as typeof PgBossType;

/** pg-boss's own schema in payrisk's database: created and migrated by pg-boss, next to `payrisk`, never inside it. */
export const JOBS_SCHEMA = 'payrisk_jobs';

/**
 * The one pg-boss instance of this process, on the app's PostgreSQL (DATABASE_URL or the
 * embedded server): started on first use, so a process that never queues or runs a job
 * (most tests, one-shot commands) never creates the schema, and stopped before the pool closes.
 * Maintenance (expiring the jobs of a worker that died, retries, dead letters, archiving)
 * runs every `maintenanceSeconds` in whichever process gets there first: pg-boss takes a lock for it.
 */
@Injectable()
export class JobQueue implements BeforeApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private starting?: Promise<PgBossType>;
  private onStop: (() => Promise<void>)[] = [];
  private stopping = false;

  /** Seconds between two maintenance passes: how late, at most, a dead worker's job is noticed after it expired. */
  static maintenanceSeconds = 10;

  constructor(private readonly dataSource: DataSource) {}

  boss(): Promise<PgBossType> {
    // Once the app is stopping, pg-boss never starts: its pool would outlive the database it connects to.
    if (this.stopping && !this.starting) return Promise.reject(new Error('the job queue is stopped: the process is shutting down'));
    return (this.starting ??= this.start());
  }

  /**
   * Creates the queues (idempotent), one process at a time across every one sharing the
   * database: pg-boss 10 creating the same queue from two sessions at once can deadlock, which
   * killed one of two workers started together (test/integration/jobs/concurrent-start.test.ts).
   */
  async createQueues(queues: Array<{ name: string; options: PgBossType.Queue }>): Promise<PgBossType> {
    const boss = await this.boss();
    await runSerialized(this.dataSource, 'payrisk:jobs:create-queues', async () => {
      for (const { name, options } of queues) await boss.createQueue(name, options);
    });
    return boss;
  }

  /** Called before pg-boss stops (the worker loops finish their jobs first). */
  beforeStop(work: () => Promise<void>): void {
    this.onStop.push(work);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (!this.starting) return;
    // A start under way first: a worker that awaited it registers its stop before the loops are awaited.
    const boss = await this.starting.catch(() => undefined);
    for (const work of this.onStop) await work();
    await boss?.stop({ graceful: true, wait: true, close: true, timeout: 10_000 });
  }

  private async start(): Promise<PgBossType> {
    const url = (this.dataSource.options as { url?: string }).url;
    if (!url) throw new Error('the job queue needs the database URL the app was opened with');
    const boss = new PgBoss({
      connectionString: url,
      schema: JOBS_SCHEMA,
      application_name: 'payrisk-jobs',
      max: 4,
      // payrisk's crons queue the jobs (src/jobs/pipeline-ticks.ts): pg-boss's own scheduler stays off.
      schedule: false,
      supervise: true,
      maintenanceIntervalSeconds: JobQueue.maintenanceSeconds,
    });
    boss.on('error', (error: Error) => this.logger.error(`pg-boss: ${error.message}`));
    await boss.start();
    this.logger.log(`job queue started (pg-boss, schema ${JOBS_SCHEMA})`);
    return boss;
  }
}
