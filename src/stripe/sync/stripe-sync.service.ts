import { Logger } from '@nestjs/common';
import Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { progressLine } from './backfill/progress-lines';
import { TypeBackfill } from './backfill/type-backfill';
import { DAY_SECONDS } from '../../common/time';
import { ledgerWriter, type LedgerRows, type ProcessedEvent, type StoredState } from './ledger-writer';
import { InvalidStripeObjectError } from './mappers/row-guard';
import { checkMappable, LEDGER_TABLE_OF, ledgerTypeOf, mapEventObject } from './stripe-object-applier';
import { StripePatience, type PatienceOptions } from './request-budget/stripe-patience';
import { SyncCursors } from './sync-cursors';
import { readTied, tieKey, type SnapshotTie } from './tie-rereads';
import { SYNCED_TYPES, SyncedType, SyncProgress } from './sync-types';

const PAGE = 100;
/** Stripe keeps events for 30 days; a cursor older than this cannot be caught up from events. */
const EVENT_RETENTION_SECONDS = 30 * DAY_SECONDS;

export interface SyncSummary {
  mode: 'backfill' | 'catch-up';
  counts: Partial<Record<SyncedType, number>>;
  events?: number;
}

export interface SyncOptions {
  /** Where progress lines go during long backfills (default: this class's Nest logger). */
  logger?: { log(message: string): void };
  /** How often a long backfill logs a progress line (default 10 s). */
  progressEveryMs?: number;
  /** Objects per list request (Stripe's maximum, 100, by default). */
  pageSize?: number;
  /** `created` ranges per type read in parallel (default 4). */
  rangesPerType?: number;
  /**
   * How long to wait out Stripe failures that outlast the HTTP layer's retries (policy file
   * `stripe.unreachableAfterSeconds`, `stripe.retryMaxDelaySeconds`; 5 min and 30 s by default).
   */
  patience?: PatienceOptions;
}

/** An object's state to write, and when it was read (the subscriptions guard compares it). */
interface CurrentState {
  object: unknown;
  observedAt: Date;
  /** The event's own copy (the object could not be re-read). */
  snapshot?: boolean;
}

/** What an event changes in the ledger: one object of one type. */
interface EventTarget {
  type: SyncedType;
  object: { id?: string; object?: string; deleted?: boolean };
  /** Fetch the object's current state instead of trusting the event's snapshot. */
  refetch: boolean;
}

/**
 * Mirrors Stripe into the ledger: a resumable backfill (per type, `created` ranges read in
 * parallel, each with its own checkpoint in sync_cursors) and an events catch-up (events
 * since the cursor, applied oldest first, deduplicated by event id so same-second events
 * are never dropped). Every request goes through the connection's request budget.
 *
 * Its few statements (backfill complete?, event seen?, oldest client) stay here with declared row
 * types instead of a query module with checked rows: this is the ingest hot path, run per event and
 * per page, measured by `npm run bench:sync` (docs/architecture.md, "Reaching the database": exempt).
 */
export class StripeSyncService {
  private readonly cursors: SyncCursors;
  private readonly logger: { log(message: string): void };
  private readonly progressEveryMs: number;
  private readonly pageSize: number;
  private readonly rangesPerType: number;
  private readonly patienceOptions: PatienceOptions;
  private running?: TypeBackfill;

  constructor(
    private readonly dataSource: DataSource,
    private readonly stripe: Stripe,
    private readonly accountId: string,
    private readonly onProgress: (progress: SyncProgress) => void = () => undefined,
    options: SyncOptions = {},
  ) {
    this.cursors = new SyncCursors(dataSource, accountId);
    this.logger = options.logger ?? new Logger(StripeSyncService.name);
    this.progressEveryMs = options.progressEveryMs ?? 10_000;
    this.pageSize = options.pageSize ?? PAGE;
    this.rangesPerType = options.rangesPerType ?? 4;
    this.patienceOptions = options.patience ?? {};
  }

  /** The patience options from the policy file's `stripe` section. */
  static patienceFrom(stripe: { unreachableAfterSeconds: number; retryMaxDelaySeconds: number }): PatienceOptions {
    return {
      unreachableAfterMs: stripe.unreachableAfterSeconds * 1000,
      maxDelayMs: stripe.retryMaxDelaySeconds * 1000,
    };
  }

  private patience(): StripePatience {
    return new StripePatience(this.patienceOptions, (line) => this.logger.log(`account=${this.accountId} ${line}`));
  }

  /** True when every type's backfill has completed (then `sync` catches up from events). */
  async backfillComplete(): Promise<boolean> {
    const [{ complete }]: { complete: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS complete FROM sync_cursors WHERE stripe_account_id = $1 AND stream = ANY($2) AND state->>'complete' = 'true'`,
      [this.accountId, SYNCED_TYPES.map((type) => `backfill:${type}`)],
    );
    return complete === SYNCED_TYPES.length;
  }

  /**
   * Reads every object of every type, resuming an interrupted backfill where each range
   * stopped. With nothing left to backfill (and a catch-up cursor), it catches up instead.
   * `full` forgets the checkpoints and reads everything again.
   */
  async backfill(options: { full?: boolean } = {}): Promise<SyncSummary> {
    if (options.full) await this.cursors.clearBackfill();
    else if ((await this.backfillComplete()) && (await this.cursors.load('events'))?.cursor) return this.catchUp();
    const startedAt = await this.backfillStartedAt();
    const began = Date.now();
    const counts: SyncSummary['counts'] = {};
    const patience = this.patience();
    const ticker = setInterval(
      () => this.running && this.logger.log(`backfill account=${this.accountId} ${progressLine(this.running.progress())}`),
      this.progressEveryMs,
    );
    ticker.unref();
    try {
      for (const type of SYNCED_TYPES) {
        this.running = new TypeBackfill(
          {
            dataSource: this.dataSource,
            stripe: this.stripe,
            accountId: this.accountId,
            cursors: this.cursors,
            pageSize: this.pageSize,
            rangesPerType: this.rangesPerType,
            oldestFloor: type === 'customers' ? undefined : () => this.oldestClientCreated(),
            onPage: this.onProgress,
            patience,
            onInvalid: (error) =>
              this.logger.log(`backfill account=${this.accountId} skipped ${error.objectType} ${error.objectId ?? '(no id)'}: ${error.field} ${error.reason}`),
          },
          type,
        );
        const typeBegan = Date.now();
        counts[type] = await this.running.run();
        if (Date.now() - began >= this.progressEveryMs && counts[type]) {
          const seconds = (Date.now() - typeBegan) / 1000;
          this.logger.log(`backfill account=${this.accountId} ${type}: ${(counts[type] ?? 0).toLocaleString('en-US')} synced in ${seconds.toFixed(1)} s`);
        }
      }
    } finally {
      clearInterval(ticker);
      this.running = undefined;
    }
    await ledgerWriter.fillInvoicePaymentClients(this.dataSource.manager, this.accountId);
    // Changes made while the backfill ran (or before a crash it resumed from) come from events.
    await this.cursors.save('events', String(startedAt - 1), {});
    if (Date.now() - began >= this.progressEveryMs)
      this.logger.log(`backfill account=${this.accountId} done in ${((Date.now() - began) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
    return { mode: 'backfill', counts };
  }

  /**
   * Catch up from events; resumes or starts a backfill when there is no usable cursor.
   * Reads the events newer than the last applied one by its id (`ending_before`: Stripe lists
   * newest first), so events whose `created` is out of order (a test clock's objects carry
   * frozen time, the clock's own events wall time) are never skipped. Only when that event is
   * gone (older than Stripe's 30-day retention) or no id is known yet (right after a
   * backfill) does it read by `created`, overlapping the cursor's second.
   */
  async catchUp(): Promise<SyncSummary> {
    const cursor = await this.cursors.load('events');
    const since = cursor?.cursor ? Number(cursor.cursor) : undefined;
    if (since === undefined) return this.backfill();
    const lastEventId = typeof cursor?.state.lastEventId === 'string' ? cursor.state.lastEventId : undefined;

    const patience = this.patience();
    // A failure part-way lists again from the start (the list is bounded by the cursor).
    let events = lastEventId ? await patience.run('catch-up events', () => this.eventsAfter(lastEventId)) : undefined;
    if (!events) {
      if (since < Math.floor(Date.now() / 1000) - EVENT_RETENTION_SECONDS) return this.backfill({ full: true });
      // gte, not gt: several events share a second; duplicates are skipped by id below.
      events = await patience.run('catch-up events', async () => {
        const listed: Stripe.Event[] = [];
        for await (const event of this.stripe.events.list({ created: { gte: since }, limit: PAGE })) listed.push(event);
        return listed.reverse(); // Stripe lists newest first; apply in the order they happened.
      });
    }
    // Test clocks: their objects' events carry the clock's frozen time, far behind the cursor
    // and listed (by `created`) before it. Each clock's span since the last catch-up is read too.
    const clocks = await patience.run('catch-up test clocks', () => this.testClockSpans(events ?? [], cursor?.state.clocks));
    if (clocks.events.length > 0) {
      const listed = new Set(events.map((event) => event.id));
      events = [...clocks.events.filter((event) => !listed.has(event.id)), ...events];
    }
    let applied = 0;
    let newest = since;
    const counts: SyncSummary['counts'] = {};
    // One re-read per object covers all its events of this run: they were listed before it.
    const reads = new Map<string, Promise<CurrentState | undefined>>();
    for (const event of events) {
      let outcome: SyncedType | null | false;
      try {
        outcome = await patience.run(`catch-up event=${event.id}`, () => this.apply(event, reads));
      } catch (error) {
        // One object Stripe sent that cannot be stored must not hold back every event after it.
        if (!(error instanceof InvalidStripeObjectError)) throw error;
        this.logger.log(`catch-up account=${this.accountId} skipped event=${event.id} (${event.type}): ${error.message}`);
        newest = Math.max(newest, event.created);
        continue;
      }
      if (outcome !== false) {
        applied += 1;
        if (outcome) counts[outcome] = (counts[outcome] ?? 0) + 1;
      }
      newest = Math.max(newest, event.created);
    }
    if (counts.invoices || counts.invoice_payments) await ledgerWriter.fillInvoicePaymentClients(this.dataSource.manager, this.accountId);
    const last = events.at(-1);
    const lastId = last?.id ?? lastEventId;
    await this.cursors.save('events', String(newest), {
      ...(lastId ? { lastEventId: lastId } : {}),
      ...(Object.keys(clocks.frozen).length > 0 ? { clocks: clocks.frozen } : {}),
    });
    return { mode: 'catch-up', counts, events: applied };
  }

  /** Throws InvalidStripeObjectError when the event's object could never be stored. */
  checkStorable(event: Stripe.Event): void {
    const target = eventTarget(event);
    if (target && !target.refetch && !target.object.deleted) checkMappable(target.type, target.object, this.accountId);
  }

  /**
   * For each test clock, the events created in the span its frozen time moved through since
   * the last catch-up (`known`: clock id → frozen time then), oldest first; and every clock's
   * frozen time now. A clock new since then starts at the frozen time it was created with.
   */
  private async testClockSpans(listed: Stripe.Event[], known: unknown): Promise<{ events: Stripe.Event[]; frozen: Record<string, number> }> {
    const before = (known && typeof known === 'object' ? known : {}) as Record<string, number>;
    const frozen: Record<string, number> = {};
    const spans: { from: number; to: number }[] = [];
    const clocks: Stripe.TestHelpers.TestClock[] = [];
    try {
      for await (const clock of this.stripe.testHelpers.testClocks.list({ limit: PAGE })) clocks.push(clock);
    } catch (error) {
      // A live key has no test clocks to list.
      if (error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripePermissionError) return { events: [], frozen };
      throw error;
    }
    for (const clock of clocks) {
      frozen[clock.id] = clock.frozen_time;
      const createdWith = listed.find((event) => event.type === 'test_helpers.test_clock.created' && (event.data.object as { id?: string }).id === clock.id);
      const from = before[clock.id] ?? (createdWith ? (createdWith.data.object as Stripe.TestHelpers.TestClock).frozen_time : clock.frozen_time);
      spans.push({ from, to: clock.frozen_time });
    }
    const events: Stripe.Event[] = [];
    for (const span of spans) {
      const found: Stripe.Event[] = [];
      for await (const event of this.stripe.events.list({ created: { gte: span.from, lte: span.to }, limit: PAGE })) found.push(event);
      events.push(...found.reverse());
    }
    return { events, frozen };
  }

  /** The `processed_events` row of an event of this account. */
  private eventRecord(event: Stripe.Event): ProcessedEvent {
    return {
      id: event.id,
      accountId: this.accountId,
      type: event.type,
      apiVersion: event.api_version ?? null,
      objectId: (event.data.object as { id?: string }).id ?? null,
      created: event.created,
    };
  }

  /**
   * The events newer than `eventId`, oldest first, page by page with `ending_before`;
   * undefined when Stripe no longer has that event (then catch-up reads by `created`).
   */
  private async eventsAfter(eventId: string): Promise<Stripe.Event[] | undefined> {
    const pages: Stripe.Event[][] = [];
    let before = eventId;
    for (;;) {
      let page: Stripe.ApiList<Stripe.Event>;
      try {
        page = await this.stripe.events.list({ ending_before: before, limit: PAGE });
      } catch (error) {
        if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'resource_missing' && before === eventId) return undefined;
        throw error;
      }
      if (page.data.length === 0) break;
      pages.push([...page.data].reverse());
      if (!page.has_more) break;
      before = page.data[0].id; // the newest of this page
    }
    return pages.flat();
  }

  /** Records the event id and applies its object, in one statement (a duplicate is a no-op); true when it was new. */
  async applyEvent(event: Stripe.Event): Promise<boolean> {
    return (await this.apply(event)) !== false;
  }

  /** false for a duplicate; otherwise the ledger type written (null when the event touches nothing we mirror). */
  private async apply(event: Stripe.Event, reads?: Map<string, Promise<CurrentState | undefined>>): Promise<SyncedType | null | false> {
    const target = eventTarget(event);
    // A re-fetch costs a request: not for a delivery already processed.
    if (target?.refetch && (await this.alreadyProcessed(event.id))) return false;
    let state: CurrentState | undefined;
    if (target?.refetch && target.object.id && reads) {
      const key = `${target.type}:${target.object.id}`;
      if (!reads.has(key)) reads.set(key, this.currentState(target, event));
      try {
        state = await reads.get(key);
      } catch (error) {
        reads.delete(key); // a failed read is not the object's state: the retry reads again
        throw error;
      }
      // A snapshot stands for its own event only.
      if (state?.snapshot) reads.delete(key);
    } else if (target) {
      state = await this.currentState(target, event);
    }
    const fresh = await ledgerWriter.event(
      this.dataSource.manager,
      this.eventRecord(event),
      target && state
        ? ({
            table: LEDGER_TABLE_OF[target.type],
            rows: [mapEventObject(target.type, state.object, this.accountId, state.observedAt, event.created)],
          } as LedgerRows)
        : undefined,
    );
    if (!fresh) return false;
    return target && state ? target.type : null;
  }

  /**
   * Applies webhook events taken from the inbox, oldest delivery first, in one transaction:
   * records their ids (events seen before are skipped), then writes each type in rounds where
   * an object appears once (an object's events keep their order; a round is one statement).
   * `finish` runs inside the transaction (the inbox removes the rows there). An invoice or
   * client snapshot that ties the stored one (same status, amounts and event second, other
   * fields) is returned, and kept in sync_cursors, as a tie for settleTies. Objects that cannot be stored are
   * skipped with a log line (the webhook refused them before they reached the inbox).
   */
  async applyBatch(events: Stripe.Event[], finish: (manager: import('typeorm').EntityManager) => Promise<void>): Promise<BatchOutcome> {
    const reads = new Map<string, Promise<CurrentState | undefined>>();
    const prepared: {
      event: Stripe.Event;
      type?: SyncedType;
      row?: Record<string, unknown>;
    }[] = [];
    for (const event of events) {
      const target = eventTarget(event);
      if (!target) {
        prepared.push({ event });
        continue;
      }
      let state: CurrentState | undefined;
      if (target.refetch && target.object.id) {
        const key = `${target.type}:${target.object.id}`;
        if (!reads.has(key)) reads.set(key, this.currentState(target, event));
        state = await reads.get(key);
        if (state?.snapshot) reads.delete(key);
      } else state = await this.currentState(target, event);
      try {
        prepared.push({
          event,
          type: target.type,
          row: state ? (mapEventObject(target.type, state.object, this.accountId, state.observedAt, event.created) as Record<string, unknown>) : undefined,
        });
      } catch (error) {
        if (!(error instanceof InvalidStripeObjectError)) throw error;
        this.logger.log(`webhook account=${this.accountId} skipped event=${event.id} (${event.type}): ${error.message}`);
        prepared.push({ event });
      }
    }
    const ties = new Map<string, SnapshotTie>();
    const written = new Set<SyncedType>();
    const fresh = await this.dataSource.transaction(async (manager) => {
      const freshIds = await ledgerWriter.recordEvents(
        manager,
        events.map((event) => this.eventRecord(event)),
      );
      const byType = new Map<SyncedType, Record<string, unknown>[][]>();
      for (const item of prepared) {
        if (!item.type || !item.row || !freshIds.has(item.event.id)) continue;
        const rounds = byType.get(item.type) ?? [];
        byType.set(item.type, rounds);
        const id = item.row.id as string;
        const round = rounds.find((candidate) => !candidate.some((row) => row.id === id));
        if (round) round.push(item.row);
        else rounds.push([item.row]);
      }
      for (const [type, rounds] of byType) {
        for (const rows of rounds) {
          if (type === 'invoices' || type === 'customers') {
            const table = LEDGER_TABLE_OF[type] as 'invoices' | 'clients';
            const stored = await ledgerWriter.storedStates(
              manager,
              table,
              rows.map((row) => row.id as string),
            );
            for (const row of rows) {
              if (!tiesStored(row, stored.get(row.id as string))) continue;
              const tie = tieOf(type, row);
              ties.set(tieKey(tie), tie);
            }
          }
          await ledgerWriter.rows(manager, {
            table: LEDGER_TABLE_OF[type],
            rows: rows as never[],
          } as LedgerRows);
          written.add(type);
        }
      }
      // Kept with the batch: a process that dies before the re-read leaves them for the next one.
      if (ties.size > 0) await this.cursors.mergeState(TIES_STREAM, Object.fromEntries(ties), manager);
      await finish(manager);
      return freshIds;
    });
    if (written.has('invoices') || written.has('invoice_payments')) await ledgerWriter.fillInvoicePaymentClients(this.dataSource.manager, this.accountId);
    return { applied: events.filter((event) => fresh.has(event.id)), ties: [...ties.values()] };
  }

  /** The ties stored and not yet settled (a process stopped before their re-read). */
  async pendingTies(): Promise<SnapshotTie[]> {
    const cursor = await this.cursors.load(TIES_STREAM);
    return Object.values(cursor?.state ?? {}) as SnapshotTie[];
  }

  /**
   * Settles ties: those whose stored state is still the tied one (a later, provably newer
   * snapshot needs no re-read) are re-read, as few requests as readTied can make it, and
   * Stripe's current state written over them, the event second marked settled
   * (`reread_second`: later snapshots of that second are older than the re-read or equal to
   * it). Then the ties are forgotten. Returns the requests made; throws when Stripe cannot be
   * read (the ties stay for the next try).
   */
  async settleTies(ties: SnapshotTie[]): Promise<number> {
    const live: SnapshotTie[] = [];
    for (const type of ['invoices', 'customers'] as const) {
      const own = ties.filter((tie) => tie.type === type);
      if (own.length === 0) continue;
      const stored = await ledgerWriter.storedStates(
        this.dataSource.manager,
        LEDGER_TABLE_OF[type] as 'invoices' | 'clients',
        own.map((tie) => tie.id),
      );
      for (const tie of own) if (stillTied(tie, stored.get(tie.id))) live.push(tie);
    }
    let requests = 0;
    if (live.length > 0) {
      const read = await readTied(this.stripe, live);
      requests = read.requests;
      for (const tie of read.missing) this.logger.log(`webhook account=${this.accountId} could not re-read ${tie.type} ${tie.id}: no longer in Stripe`);
      for (const type of ['invoices', 'customers'] as const) {
        const rows: object[] = [];
        for (const tie of live) {
          const object = read.objects.get(tieKey(tie));
          if (tie.type !== type || object === undefined) continue;
          try {
            rows.push({ ...mapEventObject(type, object, this.accountId, new Date(), tie.eventCreated), reread_second: tie.eventCreated });
          } catch (error) {
            if (!(error instanceof InvalidStripeObjectError)) throw error;
            this.logger.log(`webhook account=${this.accountId} could not store the re-read ${type} ${tie.id}: ${error.message}`);
          }
        }
        if (rows.length > 0) await ledgerWriter.rows(this.dataSource.manager, { table: LEDGER_TABLE_OF[type], rows } as LedgerRows, true);
      }
      if (live.some((tie) => tie.type === 'invoices')) await ledgerWriter.fillInvoicePaymentClients(this.dataSource.manager, this.accountId);
    }
    await this.cursors.forgetState(TIES_STREAM, Object.fromEntries(ties.map((tie) => [tieKey(tie), tie])));
    return requests;
  }

  private async alreadyProcessed(eventId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM processed_events WHERE id = $1`, [eventId]);
    return rows.length > 0;
  }

  /**
   * Disputes are re-read with their charge expanded (the client is on it); subscriptions
   * are re-read because their statuses go back and forth (active ⇄ past_due ⇄ paused), so
   * only the state as of now can be ordered against other reads. Everything else is applied
   * as delivered, the writer's ordering guard keeping the newest state.
   */
  private async currentState(target: EventTarget, event: Stripe.Event): Promise<CurrentState | undefined> {
    const id = target.object.id;
    if (target.type === 'disputes' && id)
      return {
        object: await this.stripe.disputes.retrieve(id, { expand: ['charge'] }),
        observedAt: new Date(),
      };
    if (target.type === 'subscriptions' && id && target.refetch) {
      const observedAt = new Date();
      try {
        return {
          object: await this.stripe.subscriptions.retrieve(id),
          observedAt,
        };
      } catch (error) {
        if (!(error instanceof Stripe.errors.StripeInvalidRequestError) || error.code !== 'resource_missing') throw error;
        // Not readable from this account: the event's snapshot, as of the event.
        return event.data.object.object === 'subscription'
          ? {
              object: event.data.object,
              observedAt: new Date(event.created * 1000),
              snapshot: true,
            }
          : undefined;
      }
    }
    return {
      object: target.object,
      observedAt: new Date(event.created * 1000),
    };
  }

  /** The moment the current backfill first started (kept across crashes), unix seconds. */
  private async backfillStartedAt(): Promise<number> {
    const saved = await this.cursors.load('backfill:started');
    if (saved?.cursor) return Number(saved.cursor);
    const now = Math.floor(Date.now() / 1000);
    await this.cursors.save('backfill:started', String(now), {});
    return now;
  }

  /** No invoice, payment, credit note, dispute or subscription is older than its customer. */
  private async oldestClientCreated(): Promise<number | undefined> {
    const [row]: { oldest: string | null }[] = await this.dataSource.query(
      `SELECT floor(extract(epoch FROM min(stripe_created_at)))::bigint AS oldest FROM clients WHERE stripe_account_id = $1 AND NOT deleted`,
      [this.accountId],
    );
    return row?.oldest === null || row?.oldest === undefined ? undefined : Number(row.oldest);
  }
}

export interface BatchOutcome {
  /** The events applied now (not seen before), in delivery order. */
  applied: Stripe.Event[];
  /** Invoices and clients a snapshot tied (to settle with settleTies, once deliveries pause). */
  ties: SnapshotTie[];
}

/** Where ties wait for their re-read (sync_cursors). */
const TIES_STREAM = 'webhook:ties';

const RANK: Record<string, number> = { draft: 0, open: 1, uncollectible: 2 };
const rankOf = (status: unknown) => RANK[String(status)] ?? 3;

/** Same status rank, same amounts and attempts (invoices), same event second, other fields: the guard cannot order them. */
function tiesStored(row: Record<string, unknown>, stored: StoredState | undefined): boolean {
  if (!stored || stored.deleted || row.deleted || stored.event_created === null || stored.content_hash === null || stored.reread_second === row.event_created)
    return false;
  return (
    rankOf(row.status) === rankOf(stored.status) &&
    Number(row.amount_paid ?? 0) === stored.amount_paid &&
    Number(row.amount_remaining ?? 0) === stored.amount_remaining &&
    Number(row.attempt_count ?? 0) === stored.attempt_count &&
    row.event_created === stored.event_created &&
    row.content_hash !== stored.content_hash
  );
}

function tieOf(type: 'invoices' | 'customers', row: Record<string, unknown>): SnapshotTie {
  return {
    type,
    id: row.id as string,
    customer: type === 'invoices' ? ((row.client_id as string | null) ?? null) : null,
    created: Math.floor((row.stripe_created_at as Date).getTime() / 1000),
    eventCreated: row.event_created as number,
    rank: rankOf(row.status),
    amountPaid: Number(row.amount_paid ?? 0),
    amountRemaining: Number(row.amount_remaining ?? 0),
    attemptCount: Number(row.attempt_count ?? 0),
  };
}

/** The stored state is still the one the tie was about: same second, same ordering facts, not settled since. */
function stillTied(tie: SnapshotTie, stored: StoredState | undefined): boolean {
  return (
    !!stored &&
    !stored.deleted &&
    stored.event_created === tie.eventCreated &&
    stored.reread_second !== tie.eventCreated &&
    rankOf(stored.status ?? undefined) === tie.rank &&
    stored.amount_paid === tie.amountPaid &&
    stored.amount_remaining === tie.amountRemaining &&
    stored.attempt_count === tie.attemptCount
  );
}

/**
 * The ledger object an event is about. Schedule events change their subscription (its
 * `schedule`, its items at a phase change) without always sending a subscription event,
 * so they re-read the subscription too.
 */
function eventTarget(event: Stripe.Event): EventTarget | undefined {
  const object = event.data.object as {
    id?: string;
    object?: string;
    subscription?: string | null;
    released_subscription?: string | null;
  };
  if (object.object === 'subscription_schedule') {
    const subscription = object.subscription ?? object.released_subscription;
    return subscription
      ? {
          type: 'subscriptions',
          object: { id: subscription, object: 'subscription' },
          refetch: true,
        }
      : undefined;
  }
  const type = ledgerTypeOf(object);
  if (!type) return undefined;
  // customer.deleted carries the customer as it was, without `deleted: true`: the event type says it.
  if (event.type === 'customer.deleted')
    return {
      type,
      object: { id: object.id, object: 'customer', deleted: true },
      refetch: false,
    };
  return {
    type,
    object,
    refetch: type === 'subscriptions' || type === 'disputes',
  };
}
