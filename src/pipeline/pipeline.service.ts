import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '../common/clock';
import type { AccountRuntime } from '../accounts/runtime/account-runtime';
import { AccountRuntimes } from '../accounts/runtime/account-runtimes';
import { APP_CONFIG, AppConfig } from '../config';
import { runForAccount } from '../database/account-scope';
import { runExclusive, runSerialized } from '../database/advisory-lock';
import { DEFAULT_JOBS_RUNTIME, JOBS_RUNTIME, type JobsRuntime } from '../jobs/jobs-runtime';
import { RiskAlertProducer } from '../notifications/alerts/risk-alert.producer';
import { WeeklyDigestService } from '../notifications/digest/weekly-digest.service';
import { OutboxSender } from '../notifications/outbox/outbox-sender';
import { PolicyRunner } from '../policies/policy-runner';
import { RiskAssessmentService } from '../risk/risk-assessment.service';
import { SANDBOX_RUN, type SandboxRun } from '../stripe/stripe.tokens';
import type { StripeSyncService } from '../stripe/sync/stripe-sync.service';

export const PIPELINE_LOCK = 'payrisk:job:pipeline';
export const PIPELINE_STEPS = ['sync', 'detect', 'policies', 'alerts', 'digest', 'outbox'] as const;
export type PipelineStep = (typeof PIPELINE_STEPS)[number];

export interface PipelineRunOptions {
  /** Assess every client, not only those whose ledger changed (the daily `scheduler.detect` tick). */
  fullDetect?: boolean;
  /** Write this week's digest after the alerts (the digest cron; the sandbox's first run). */
  digest?: boolean;
  /** Runs between the sync and the detection (the sandbox logs its clients' phoned-in discount requests there). */
  afterSync?: () => Promise<void>;
  /** Wait for a run under way instead of skipping (a caller that must see its own run: moving the sandbox's clock). */
  wait?: boolean;
}

export interface PipelineRun {
  status: 'ran' | 'skipped';
  synced: Record<string, number>;
  assessed: number;
  actionsCreated: number;
  actionsApplied: number;
  alertsQueued: number;
  digestQueued: boolean;
  emailsSent: number;
  failed: { step: PipelineStep; error: string }[];
}

/** A run that has done nothing yet: each step fills in its part. */
export function emptyPipelineRun(): PipelineRun {
  return {
    status: 'ran',
    synced: {},
    assessed: 0,
    actionsCreated: 0,
    actionsApplied: 0,
    alertsQueued: 0,
    digestQueued: false,
    emailsSent: 0,
    failed: [],
  };
}

/**
 * The one owner of the order of a run: sync → detect → policies → alerts → digest → outbox.
 * Every trigger (the catch-up cron, the daily detection and policy crons, the digest cron,
 * the first start, the sandbox's clock) goes through `run`, under the account's advisory lock, so each
 * step runs once per tick across every instance, and an alert is always written after the
 * policies of the same run (it lists what payrisk proposes for that client). Detection and
 * alerts react to what changed: detection assesses the clients whose ledger changed (or all,
 * on the daily tick), the alerts read the assessments written since their cursor. A failed
 * step is logged and the next steps still run on what is there.
 */
@Injectable()
export class PipelineService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PipelineService.name);
  private initial?: Promise<PipelineRun>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly runtimes: AccountRuntimes,
    private readonly assessments: RiskAssessmentService,
    @Inject(PolicyRunner) private readonly policies: PolicyRunner,
    private readonly alerts: RiskAlertProducer,
    private readonly digest: WeeklyDigestService,
    private readonly outbox: OutboxSender,
    @Inject(SANDBOX_RUN) private readonly sandboxRun: SandboxRun | null,
    @Optional() @Inject(JOBS_RUNTIME) private readonly jobs?: JobsRuntime,
  ) {}

  onApplicationBootstrap(): void {
    // The cron ticks queue pipeline jobs (src/jobs/pipeline-ticks.ts). The boot run is `payrisk start`'s (role all):
    // a web-only process runs no pipeline, a worker queues its first runs as jobs (PipelineWorker.start).
    if ((this.jobs ?? DEFAULT_JOBS_RUNTIME).role !== 'all') return;
    // First start: fill the ledger in the background; the server is already answering. On the
    // built-in sandbox, the demo's first run (SandboxPipeline) is this run, with its own steps.
    if (!this.sandboxRun) this.initial = this.runEveryAccount({ wait: true }).then((runs) => runs[0]);
  }

  /** The first run after boot (a backfill on an empty ledger); the sandbox's first run when SandboxPipeline started it. */
  initialRun(): Promise<PipelineRun | undefined> {
    return this.initial ?? Promise.resolve(undefined);
  }

  /** For SandboxPipeline: its first run is the boot run others wait for. */
  startInitialRun(options: PipelineRunOptions): Promise<PipelineRun> {
    this.initial = this.run({ ...options, wait: true });
    return this.initial;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.initial?.catch(() => undefined);
  }

  /**
   * One run per active account (every added account, or the environment's when none is
   * added), one after the other, each in its account's scope; one account's failure never
   * stops the others. (The boot run of `payrisk start`; the cron ticks queue a job per account instead: src/jobs.)
   */
  async runEveryAccount(options: PipelineRunOptions = {}): Promise<PipelineRun[]> {
    const runs: PipelineRun[] = [];
    for (const accountId of await this.runtimes.activeAccountIds()) {
      try {
        runs.push(await runForAccount(accountId, () => this.run(options)));
      } catch (error) {
        this.logger.error(`account=${accountId} pipeline run failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return runs;
  }

  /** One run for the scoped account (`runForAccount(id, () => pipeline.run(options))`); outside a scope, the environment's account. */
  async run(options: PipelineRunOptions = {}): Promise<PipelineRun> {
    const account = await this.runtimes.current();
    // Every step in the account's scope: row-level security shows them that account's rows only.
    return runForAccount(account.accountId, () => this.runInScope(account, options));
  }

  private async runInScope(account: AccountRuntime, options: PipelineRunOptions): Promise<PipelineRun> {
    // One run at a time per account, across every instance: pg-boss runs one job per account at a time, but an
    // in-process run (the sandbox's first run, a logged discount request) and a job that outlived its expiry take turns with it.
    const lock = `${PIPELINE_LOCK}:${account.accountId}`;
    const run = emptyPipelineRun();
    const work = () => this.steps(run, options, account.sync, account.accountId);
    if (options.wait) {
      await runSerialized(this.dataSource, lock, work);
      return run;
    }
    const outcome = await runExclusive(this.dataSource, lock, work).catch((error: unknown) => {
      this.logger.error(`account=${account.accountId} pipeline run failed: ${String(error)}`);
      return { ran: true as const, result: undefined };
    });
    if (!outcome.ran) {
      this.logger.log(`account=${account.accountId} pipeline skipped: another run holds the lock`);
      return { ...run, status: 'skipped' };
    }
    return run;
  }

  private async steps(run: PipelineRun, options: PipelineRunOptions, sync: StripeSyncService, accountId: string): Promise<void> {
    const started = Date.now();
    await this.step(run, 'sync', async () => {
      // Webhooks already answered 2xx but still in the inbox are part of what this run must see:
      // policies must never judge an invoice whose payment is stored but not yet applied.
      const inbox = await this.runtimes.inboxFor(accountId);
      await inbox.idle();
      const summary = await sync.catchUp();
      await inbox.idle();
      run.synced = summary.counts as unknown as Record<string, number>;
      this.logger.log(`sync ${summary.mode}: ${JSON.stringify(summary.counts)}`);
    });
    if (options.afterSync) await this.step(run, 'sync', options.afterSync);
    await this.step(run, 'detect', async () => {
      const result = await this.assessments.run(this.clock.now(), { full: !!options.fullDetect });
      run.assessed = result.assessed;
      this.logger.log(`detect run=${result.runId} assessed=${result.assessed} failed=${result.failed.length} full=${!!options.fullDetect}`);
    });
    await this.step(run, 'policies', async () => {
      const result = await this.policies.run();
      run.actionsCreated = result.created;
      run.actionsApplied = result.applied;
    });
    await this.step(run, 'alerts', async () => {
      run.alertsQueued = (await this.alerts.run()).alertsQueued;
    });
    if (options.digest) {
      await this.step(run, 'digest', async () => {
        run.digestQueued = await this.digest.enqueue();
      });
    }
    await this.step(run, 'outbox', async () => {
      run.emailsSent = (await this.outbox.sendDue()).sent;
    });
    this.logger.log(
      `pipeline run finished in ${Date.now() - started} ms${run.failed.length ? `, failed steps: ${run.failed.map((f) => f.step).join(', ')}` : ''}`,
    );
  }

  private async step(run: PipelineRun, step: PipelineStep, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      run.failed.push({ step, error: message });
      this.logger.error(`pipeline step=${step} failed: ${message}`);
    }
  }
}
