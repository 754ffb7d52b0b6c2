import { Injectable, Logger } from '@nestjs/common';
import type PgBoss from 'pg-boss';
import { AccountRuntimes } from '../accounts/runtime/account-runtimes';
import { JobQueue } from './job-queue';
import { mergeIntoQueuedJob } from './pipeline-jobs.query';
import {
  PIPELINE_DEAD_LETTER_OPTIONS,
  PIPELINE_DEAD_LETTER_QUEUE,
  PIPELINE_QUEUE,
  PIPELINE_QUEUE_OPTIONS,
  type PipelineFlags,
  type PipelineJobData,
} from './pipeline-queue';

export interface EnqueueOptions {
  /** Overrides the queue's expiry for this job (the fault test lets a killed worker's job expire in seconds). */
  expireInSeconds?: number;
}

/** Queues pipeline runs: one per account and tick, never two waiting for one account. */
@Injectable()
export class PipelineJobs {
  private readonly logger = new Logger(PipelineJobs.name);
  private ready?: Promise<PgBoss>;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly queue: JobQueue,
    private readonly runtimes: AccountRuntimes,
  ) {}

  /** pg-boss started with both queues created (idempotent: every process does it at its first use). */
  boss(): Promise<PgBoss> {
    if (!this.ready) {
      const ready = this.queue.createQueues([
        { name: PIPELINE_DEAD_LETTER_QUEUE, options: PIPELINE_DEAD_LETTER_OPTIONS },
        { name: PIPELINE_QUEUE, options: PIPELINE_QUEUE_OPTIONS },
      ]);
      // A failed start (the database away for a moment) is not kept: the next use tries again.
      ready.catch(() => {
        if (this.ready === ready) this.ready = undefined;
      });
      this.ready = ready;
    }
    return this.ready;
  }

  /** A local worker wants to hear of a new job at once instead of at its next poll. */
  onEnqueued(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Queues a run for `account`. When one already waits, this tick's flags join it (it has not
   * started: it sees everything committed now). Returns the job's id.
   */
  async enqueue(account: string, flags: PipelineFlags = {}, options: EnqueueOptions = {}): Promise<string> {
    const boss = await this.boss();
    const data: PipelineJobData = { account, ...flags };
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = await boss.send(PIPELINE_QUEUE, data, { singletonKey: account, ...options });
      if (id) {
        for (const listener of this.listeners) listener();
        return id;
      }
      const merged = await mergeIntoQueuedJob(boss.getDb(), PIPELINE_QUEUE, account, flags);
      if (merged) return merged;
      // The waiting job started between the two statements: queue a new one behind it.
    }
    throw new Error(`could not queue a pipeline run for account ${account}: its queued job kept starting; the next tick queues it again`);
  }

  /** The accounts work runs for: the added ones not removed, or the environment's account when none is added. */
  activeAccounts(): Promise<string[]> {
    return this.runtimes.activeAccountIds();
  }

  /** What a cron tick does: one run queued per active account. */
  async enqueueForActiveAccounts(flags: PipelineFlags = {}): Promise<number> {
    const accounts = await this.activeAccounts();
    for (const account of accounts) await this.enqueue(account, flags);
    this.logger.log(`queued pipeline runs for ${accounts.length} account(s) ${JSON.stringify(flags)}`);
    return accounts.length;
  }
}
