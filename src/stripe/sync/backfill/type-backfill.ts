import type Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import type { InvalidStripeObjectError } from '../mappers/row-guard';
import type { StripePatience } from '../request-budget/stripe-patience';
import { applyObjects } from '../stripe-object-applier';
import { listPage, newestCreatedBefore, type ListPage } from '../stripe-lists';
import type { SyncCursors } from '../sync-cursors';
import type { SyncedType, SyncProgress } from '../sync-types';
import { estimateBackfill, type RangeState } from './backfill-estimate';
import { createdFilter, splitCreated, type CreatedRange } from './created-ranges';
import { estimateOldestCreated } from './oldest-created';
import { ReadAhead } from './read-ahead';

export interface TypeBackfillDeps {
  dataSource: DataSource;
  stripe: Stripe;
  accountId: string;
  cursors: SyncCursors;
  pageSize: number;
  rangesPerType: number;
  /** No object of this type is older than this (unix seconds), when known: saves probing. */
  oldestFloor?: () => Promise<number | undefined>;
  /** After every committed page; throwing stops the backfill (the page stays committed). */
  onPage: (progress: SyncProgress) => void;
  /** An object that cannot be stored (see row-guard): it is skipped, the page goes on. */
  onInvalid: (error: InvalidStripeObjectError) => void;
  /** Waits out requests that exhausted their retries (see StripePatience). */
  patience: StripePatience;
}

/** The `created` ranges of one type, fixed on the first run and reused on resume. */
interface RangePlan {
  ranges: CreatedRange[];
  oldest: number;
  newest: number;
}

/** Pages of one range read ahead of the writer; several are written together when they queue up. */
const READ_AHEAD = 5;

interface FetchedPage extends ListPage {
  observedAt: Date;
  last: boolean;
}

interface RangeCheckpoint {
  synced?: number;
  complete?: boolean;
  lastCreated?: number;
}

/**
 * Backfills one type as parallel `created` ranges. The plan (ranges) is saved before any
 * page, each range keeps its own checkpoint (last id, count) committed in the same
 * transaction as its page, so a crash loses at most the pages in flight and a rerun
 * continues every range where it stopped. When one range fails the others stop after
 * their current page and the failure is raised once they have.
 */
export class TypeBackfill {
  private readonly startedAt = Date.now();
  private plan?: RangePlan;
  private states: RangeState[] = [];
  private syncedBefore = 0;
  private syncedNow = 0;

  constructor(
    private readonly deps: TypeBackfillDeps,
    readonly type: SyncedType,
  ) {}

  private get head(): string {
    return `backfill:${this.type}`;
  }

  private rangeStream(index: number): string {
    return `${this.head}#${index}`;
  }

  /** Returns the objects of this type synced by this backfill (earlier runs included); 0 when it was already complete. */
  async run(): Promise<number> {
    const { cursors } = this.deps;
    const head = await cursors.load(this.head);
    if (head?.state.complete) return 0;
    const plan = (head?.state.plan as RangePlan | undefined) ?? (await this.makePlan());
    if (!head?.state.plan) await cursors.save(this.head, null, { plan });
    this.plan = plan;

    const checkpoints = await Promise.all(plan.ranges.map(async (_, i) => (await cursors.load(this.rangeStream(i))) ?? { cursor: null, state: {} }));
    this.states = plan.ranges.map((range, i) => {
      const state = checkpoints[i].state as RangeCheckpoint;
      return { range, complete: state.complete === true, lastCreated: state.lastCreated };
    });
    this.syncedBefore = checkpoints.reduce((sum, c) => sum + Number((c.state as RangeCheckpoint).synced ?? 0), 0);

    const stop = { requested: false };
    const outcomes = await Promise.allSettled(
      plan.ranges.map((range, i) =>
        this.states[i].complete
          ? Promise.resolve()
          : this.runRange(i, range, checkpoints[i].cursor, Number((checkpoints[i].state as RangeCheckpoint).synced ?? 0), stop),
      ),
    );
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    const synced = this.syncedBefore + this.syncedNow;
    await cursors.save(this.head, null, { plan, complete: true, synced });
    return synced;
  }

  /** Where this type stands now, for progress lines. */
  progress(page = 0): SyncProgress {
    const synced = this.syncedBefore + this.syncedNow;
    const ratePerSecond = Math.round(this.syncedNow / Math.max(0.001, (Date.now() - this.startedAt) / 1000));
    const estimate = this.plan ? estimateBackfill(this.states, this.plan, synced, ratePerSecond) : { fraction: 0 };
    return { type: this.type, synced, page, ratePerSecond, estimatedTotal: estimate.estimatedTotal, etaSeconds: estimate.etaSeconds };
  }

  /**
   * Reads the range page after page (each request continues after the last id), up to
   * READ_AHEAD pages ahead of the writer, and writes whatever pages have arrived in one
   * transaction with the range's checkpoint.
   */
  private async runRange(index: number, range: CreatedRange, startAfter: string | null, syncedBefore: number, stop: { requested: boolean }): Promise<void> {
    const { dataSource, stripe, accountId, cursors, pageSize } = this.deps;
    const state = this.states[index];
    let next = startAfter;
    const pages = new ReadAhead<FetchedPage>(async () => {
      const observedAt = new Date();
      const page = await this.deps.patience.run(`backfill ${this.type} range ${index}`, () =>
        listPage(stripe, this.type, { limit: pageSize, starting_after: next ?? undefined, created: createdFilter(range) }),
      );
      next = page.data[page.data.length - 1]?.id ?? next;
      const last = !page.has_more || page.data.length === 0;
      return { value: { ...page, observedAt, last }, last };
    }, READ_AHEAD);
    let cursor = startAfter;
    let synced = syncedBefore;
    try {
      while (!stop.requested) {
        const batch = await pages.take(READ_AHEAD);
        // Another range failed while these pages were on their way: leave them for the rerun.
        if (stop.requested || batch.length === 0) return;
        const objects = batch.flatMap((page) => page.data);
        const lastObject = objects[objects.length - 1];
        const complete = batch[batch.length - 1].last;
        const checkpoint: RangeCheckpoint = {
          synced: synced + objects.length,
          lastCreated: lastObject?.created ?? state.lastCreated,
          ...(complete ? { complete: true } : {}),
        };
        await dataSource.transaction(async (manager) => {
          // The earliest read of the batch: what the ordering guard compares (subscriptions).
          if (objects.length > 0) await applyObjects(manager, this.type, objects, accountId, batch[0].observedAt, this.deps.onInvalid);
          await cursors.save(this.rangeStream(index), lastObject?.id ?? cursor, checkpoint as Record<string, unknown>, manager);
        });
        cursor = lastObject?.id ?? cursor;
        synced += objects.length;
        this.syncedNow += objects.length;
        state.lastCreated = checkpoint.lastCreated;
        state.complete = complete;
        if (objects.length > 0) this.deps.onPage(this.progress(objects.length));
        if (complete) return;
      }
    } catch (error) {
      stop.requested = true;
      throw error;
    } finally {
      await pages.close();
    }
  }

  /**
   * Splits the type's `created` span into ranges. A type that fits in one page gets one
   * range; otherwise the newest object bounds the top and the oldest is estimated (from
   * the floor when one is known, else by probing back in time).
   */
  private async makePlan(): Promise<RangePlan> {
    const { stripe, pageSize, rangesPerType, patience } = this.deps;
    const first = await patience.run(`backfill ${this.type} plan`, () => listPage(stripe, this.type, { limit: pageSize }));
    const now = Math.floor(Date.now() / 1000);
    if (first.data.length === 0) return { ranges: [{}], oldest: now, newest: now };
    const newest = first.data[0].created;
    const lastOnPage = first.data[first.data.length - 1].created;
    if (!first.has_more || rangesPerType <= 1) return { ranges: [{}], oldest: lastOnPage, newest };
    const floor = await this.deps.oldestFloor?.();
    const oldest = await estimateOldestCreated(
      lastOnPage,
      (lt) => patience.run(`backfill ${this.type} plan`, () => newestCreatedBefore(stripe, this.type, lt)),
      {
        firstStep: newest - lastOnPage,
        floor,
        refine: floor === undefined ? 3 : 4,
      },
    );
    return { ranges: splitCreated(oldest, newest, rangesPerType), oldest, newest };
  }
}
