import { DynamicModule, Module } from '@nestjs/common';

/**
 * What this process does with the queued jobs (`payrisk start --role`, `payrisk worker`):
 * - `web`: the HTTP server only; it queues nothing on its own and runs no job;
 * - `worker`: runs queued jobs and the cron ticks that queue them, no HTTP server;
 * - `all` (default): both, as one `payrisk start` always did.
 */
export type JobsRole = 'web' | 'worker' | 'all';

export interface JobsRuntime {
  role: JobsRole;
  /** How many jobs this process runs at once (each for another account). */
  concurrency: number;
}

export const JOBS_RUNTIME = Symbol('JOBS_RUNTIME');

export const DEFAULT_JOBS_RUNTIME: JobsRuntime = { role: 'all', concurrency: 1 };

/** Whether this process runs jobs and their ticks (worker, all) or only serves HTTP (web). */
export const runsJobs = (runtime: JobsRuntime | undefined): boolean => (runtime ?? DEFAULT_JOBS_RUNTIME).role !== 'web';

/** Carries the process's role to every module (global), so the pipeline knows whether its boot run belongs here. */
@Module({})
export class JobsRuntimeModule {
  static forRoot(runtime: JobsRuntime = DEFAULT_JOBS_RUNTIME): DynamicModule {
    return { module: JobsRuntimeModule, global: true, providers: [{ provide: JOBS_RUNTIME, useValue: runtime }], exports: [JOBS_RUNTIME] };
  }
}
