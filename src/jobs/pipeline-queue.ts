import type PgBoss from 'pg-boss';

/**
 * One queue for the pipeline: a job is one run of sync → detect → policies → alerts → (digest)
 * → outbox for one account, its `singletonKey` the account's Stripe id. Its steps run in order
 * inside the job (docs/architecture.md, "Jobs"): a step per queue would pay a queue hand-off per
 * step and per account for no parallelism, since an account's steps run one after another anyway.
 */
export const PIPELINE_QUEUE = 'payrisk-pipeline';
/** Where a pipeline job goes once its retries are spent: kept for the operator, run by nobody. */
export const PIPELINE_DEAD_LETTER_QUEUE = 'payrisk-pipeline-dead';

/** What a pipeline job carries: the account, and what this run adds to the catch-up. */
export interface PipelineJobData {
  account: string;
  /** Assess every client (the daily detection tick). */
  fullDetect?: boolean;
  /** Write this week's digest (the digest tick). */
  digest?: boolean;
}

export type PipelineFlags = Omit<PipelineJobData, 'account'>;

/**
 * `stately`: at most one queued, one retrying and one running job per account (pg-boss's unique
 * index on name, state and singleton key), so a tick never stacks runs of one account and a run
 * never overlaps another of the same account. Retries back off from 30 s (pg-boss doubles the
 * delay with jitter); a job still active after `expireInSeconds` (its worker died: `kill -9`, a lost
 * machine) is failed by pg-boss's maintenance and retried by whichever worker is alive.
 */
export const PIPELINE_QUEUE_OPTIONS: PgBoss.Queue = {
  name: PIPELINE_QUEUE,
  policy: 'stately',
  retryLimit: 3,
  retryDelay: 30,
  retryBackoff: true,
  // Longer than the longest run (a first backfill of a large account); a dead worker's job waits this long.
  expireInSeconds: 30 * 60,
  deadLetter: PIPELINE_DEAD_LETTER_QUEUE,
};

export const PIPELINE_DEAD_LETTER_OPTIONS: PgBoss.Queue = { name: PIPELINE_DEAD_LETTER_QUEUE, policy: 'standard', retentionMinutes: 60 * 24 * 30 };
