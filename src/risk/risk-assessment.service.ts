import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { ClientHistory } from './domain/client-history';
import type { DetectionConfig } from './domain/detection-config';
import { assessClient, Assessment } from './domain/assess-client';
import { insertAssessments } from './persistence/assessment.writer';
import { changedClientIds } from './persistence/changed-clients.query';
import { loadBookLateness, loadClientHistories } from './persistence/client-history.loader';
import type { PredictionOptions } from './domain/payment-prediction';
import { allClientIdPages, idPages } from './persistence/client-pages';
import { assessmentHistory, latestAssessments, type LatestAssessment } from './persistence/latest-assessments.query';
import { DAY_MS } from '../common/time';
import { settingFor, type PerAccount } from '../config';

export interface DetectionRun {
  runId: string;
  assessed: number;
  /** Clients whose judgement threw (a bug, logged with the id); the rest of the run went on. */
  failed: string[];
}

/** Clients per batch: big enough that round trips do not matter, small enough to keep memory flat. */
const DEFAULT_BATCH_SIZE = 2_000;
/** Batches whose histories are being loaded while one is judged. */
const LOADS_AHEAD = 2;

/**
 * Runs detection: streams clients in batches, loads each batch's histories set-based,
 * judges each client with the pure domain, and appends the assessments (history is kept).
 * Batches overlap: Postgres loads batches n+1 and n+2 and stores batch n-1 while this
 * process judges batch n, so the two cores work at once and memory holds about four batches.
 * Incremental by default: only clients whose ledger data changed since their last
 * assessment, plus clients with open invoices not assessed today (their lateness grows
 * with time alone).
 */
export class RiskAssessmentService {
  private readonly logger = new Logger(RiskAssessmentService.name);

  constructor(
    private readonly dataSource: DataSource,
    /** The detection settings: fixed, or the scoped account's (its policy file) in the server. */
    private readonly detection: PerAccount<DetectionConfig>,
    private readonly batchSize = DEFAULT_BATCH_SIZE,
  ) {}

  async run(now: Date, options: { full?: boolean } = {}): Promise<DetectionRun> {
    const runId = randomUUID();
    const cfg = await settingFor(this.detection);
    // The book's habits, once per run: predictions for clients with few invoices lean on them.
    // One aggregate over the paid invoices (an index-only scan, migration BookLateness1764300000000);
    // it runs while Postgres also finds the changed clients and loads the first batch, and
    // is awaited only when the first batch is judged.
    const book = settledLater(loadBookLateness(this.dataSource, new Date(now.getTime() - cfg.lookbackDays * DAY_MS)));
    let changed: string[] | undefined;
    try {
      if (!options.full) changed = await changedClientIds(this.dataSource, now);
    } catch (error) {
      await Promise.allSettled([book]); // the pool must not close under the aggregate still in flight
      throw error;
    }
    const pages = changed ? idPages(changed, this.batchSize) : allClientIdPages(this.dataSource, this.batchSize);
    // Histories reach back one month before the lookback so a payment prediction has a basis at its edge.
    const lookbackStart = new Date(now.getTime() - (cfg.lookbackDays + 31) * DAY_MS);
    let prediction: PredictionOptions | undefined;
    const loadNext = async (): Promise<ClientHistory[] | undefined> => {
      const page = await pages.next();
      return page.done ? undefined : loadClientHistories(this.dataSource, page.value, lookbackStart);
    };
    const result: DetectionRun = { runId, assessed: 0, failed: [] };
    // Two batches load ahead: while this process parses one and judges another, Postgres is
    // already reading the next, so neither side waits for the other's turn (with one ahead,
    // each batch's load query and parse ran while the other side sat idle).
    const loading = Array.from({ length: LOADS_AHEAD }, () => settledLater(loadNext()));
    let storing = settledLater(Promise.resolve());
    try {
      for (let histories = await loading.shift(); histories; histories = await loading.shift()) {
        loading.push(settledLater(loadNext()));
        prediction ??= { book: await book };
        const assessments = this.judge(histories, now, cfg, result.failed, prediction);
        await storing;
        storing = settledLater(insertAssessments(this.dataSource, runId, now, assessments));
        result.assessed += assessments.length;
      }
      await storing;
    } finally {
      // On failure, let the batch still in flight finish before the caller closes the pool.
      await Promise.allSettled([book, ...loading, storing]);
    }
    return result;
  }

  private judge(histories: ClientHistory[], now: Date, cfg: DetectionConfig, failed: string[], prediction: PredictionOptions): Assessment[] {
    const assessments: Assessment[] = [];
    for (const history of histories) {
      try {
        assessments.push(assessClient(history, now, cfg, prediction));
      } catch (error) {
        failed.push(history.clientId);
        this.logger.error(`assessment failed client=${history.clientId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
    return assessments;
  }

  /** The latest assessment of every client (or of one), highest score first. */
  latest(filter: { clientId?: string; level?: string; flag?: string } = {}): Promise<LatestAssessment[]> {
    return latestAssessments(this.dataSource.manager, filter);
  }

  history(clientId: string): Promise<Array<{ assessedAt: Date; score: number; level: string; flags: string[] }>> {
    return assessmentHistory(this.dataSource.manager, clientId);
  }
}

/**
 * A promise whose rejection is handled now and re-thrown when awaited: work started ahead
 * (the next batch) must not count as an unhandled rejection while the loop awaits other work.
 */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
