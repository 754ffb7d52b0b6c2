import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { findAccount } from '../accounts/accounts.query';
import { runForAccount } from '../database/account-scope';
import { emptyPipelineRun, PipelineService, type PipelineRun } from '../pipeline/pipeline.service';
import { JobQueue } from './job-queue';
import { JOBS_RUNTIME, type JobsRuntime } from './jobs-runtime';
import { fetchNextPipelineJob, type FetchedJob } from './pipeline-jobs.query';
import { PipelineJobs } from './pipeline-jobs';
import { PIPELINE_QUEUE } from './pipeline-queue';

/** What a finished pipeline job keeps as its output (pg-boss `output`), for the operator and the tests. */
export type PipelineJobOutput = Omit<PipelineRun, 'status'> & { account: string; pid: number; ms: number };

/**
 * Runs pipeline jobs: `concurrency` loops, each taking one job at a time (another account's:
 * see fetchNextPipelineJob), running it inside `runForAccount(account, …)`, then completing it,
 * or failing it so that pg-boss retries it with backoff and, once its retries are spent, moves it
 * to the dead-letter queue. A run with a failed step fails its job: every step is safe to run
 * again (checkpoints, cursors, unique keys), so the retry repeats what is done at no harm.
 */
@Injectable()
export class PipelineWorker {
  private readonly logger = new Logger(PipelineWorker.name);
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly sleepers = new Set<() => void>();

  /** How long an idle loop waits before asking the queue again (a local enqueue wakes it at once). */
  static pollMs = 1_000;

  constructor(
    private readonly queue: JobQueue,
    private readonly jobs: PipelineJobs,
    private readonly pipeline: PipelineService,
    private readonly dataSource: DataSource,
    @Inject(JOBS_RUNTIME) private readonly runtime: JobsRuntime,
  ) {}

  async start(concurrency: number): Promise<void> {
    if (this.running) return;
    await this.jobs.boss();
    this.running = true;
    this.jobs.onEnqueued(() => this.wakeAll());
    this.queue.beforeStop(() => this.stop());
    this.loops = Array.from({ length: concurrency }, (_, slot) => this.loop(slot));
    this.logger.log(`worker pid=${process.pid} running pipeline jobs, ${concurrency} at a time`);
    // A worker's first runs are jobs, one per active account; `payrisk start` (role all) has the pipeline's own boot run.
    if (this.runtime.role === 'worker') await this.jobs.enqueueForActiveAccounts();
  }

  /** No new job starts; the ones under way finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeAll();
    await Promise.all(this.loops);
  }

  private async loop(slot: number): Promise<void> {
    const boss = await this.jobs.boss();
    while (this.running) {
      let job: FetchedJob | undefined;
      try {
        job = await fetchNextPipelineJob(boss.getDb(), PIPELINE_QUEUE);
      } catch (error) {
        this.logger.error(`worker slot=${slot} could not fetch a job: ${String(error)}`);
      }
      if (!job) {
        await this.idle();
        continue;
      }
      const started = Date.now();
      try {
        const output = await this.run(job, started);
        await boss.complete(PIPELINE_QUEUE, job.id, output);
        this.logger.log(`job=${job.id} account=${job.data.account} done in ${output.ms} ms`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.logger.error(`job=${job.id} account=${job.data.account} attempt=${job.retryCount + 1} failed: ${message}`);
        await boss
          .fail(PIPELINE_QUEUE, job.id, { message })
          .catch((failError: unknown) => this.logger.error(`job=${job.id} not marked failed: ${String(failError)}`));
      }
    }
  }

  private async run(job: FetchedJob, started: number): Promise<PipelineJobOutput> {
    const { account, fullDetect, digest } = job.data;
    const added = await findAccount(this.dataSource.manager, account);
    if (added?.removedAt) {
      this.logger.log(`job=${job.id} skipped: account ${added.name} (${account}) was removed`);
      const { status: _skipped, ...nothing } = emptyPipelineRun();
      return { account, pid: process.pid, ms: 0, ...nothing };
    }
    // `wait`: a run started in-process for this account (the sandbox's first run, a logged discount request) finishes first.
    const { status: _status, ...run } = await runForAccount(account, () => this.pipeline.run({ fullDetect, digest, wait: true }));
    const output = { ...run, account, pid: process.pid, ms: Date.now() - started };
    if (run.failed.length > 0) throw new Error(`pipeline steps failed: ${run.failed.map((f) => `${f.step}: ${f.error}`).join('; ')}`);
    return output;
  }

  /** Waits for the next poll, or less when a job is queued in this process. */
  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, PipelineWorker.pollMs);
      this.sleepers.add(done);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}
