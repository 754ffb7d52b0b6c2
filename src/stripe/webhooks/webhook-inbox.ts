import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { runForAccount } from '../../database/account-scope';
import { preparedStatement, runPrepared } from '../../database/prepared-statement';
import type { StripeConnection } from '../stripe-connection';
import { STRIPE_CONNECTION } from '../stripe.tokens';
import { LedgerChanges } from '../sync/ledger-changes';
import { StripeSyncService } from '../sync/stripe-sync.service';
import { tieKey, type SnapshotTie } from '../sync/tie-rereads';

/** Events applied per transaction (their mapping runs on the event loop the webhooks are answered on: kept short). */
const BATCH = 200;
/** At most this many stored events kept parsed in memory for the applier (a long backlog is read back instead). */
const PARSED_KEPT = 10_000;
/** How long a woken applier waits for more deliveries before it applies (latency of the ledger, not of the 2xx). */
const COALESCE_MS = 20;
/** Rows per store statement (group commit); the rest wait for the next one. */
const STORE_BATCH = 256;
/**
 * Store statements in flight at once: while they commit, the next batch gathers. More than
 * one, so a delivery seldom waits for someone else's commit (and, on a machine short of CPU,
 * the intake is not one backend queued behind everyone else's processes: measured, bench/README.md).
 */
const STORES_IN_FLIGHT = 3;
/** Ids of events this process applied (or found applied), newest kept: a redelivery of one is answered without a store. */
const RECENTLY_APPLIED_KEPT = 100_000;
/** Ties are re-read once no new one came for this long… */
const SETTLE_QUIET_MS = 500;
/** …or this long after the first of them, whichever is sooner. */
const SETTLE_MAX_WAIT_MS = 5000;
/** Wait before trying again after a failed batch (the database is down, Stripe unreachable for a re-read). */
const RETRY_MS = 1000;

/** Events that can settle a client's arrears (and so lift a pause); the others need no reaction. */
export const SETTLING_EVENTS = new Set([
  'invoice.paid',
  'invoice.voided',
  'invoice.marked_uncollectible',
  'invoice.updated',
  'invoice_payment.paid',
  'credit_note.created',
  'credit_note.updated',
]);

/**
 * Webhook intake. `store` keeps a verified event durably in one statement (the 2xx follows);
 * the applier, woken by each store and swept at start-up, applies the inbox in delivery order
 * in batches (StripeSyncService.applyBatch) and removes what it applied in the same
 * transaction, so an event is applied once even if the process dies between the 2xx and the
 * apply. After each batch the reactions (`LedgerChanges`) fire for the clients concerned.
 * Snapshots a batch could not order (ties, see tie-rereads.ts) are stored with the batch and
 * re-read once deliveries pause, grouped into as few requests as possible.
 */
@Injectable()
export class WebhookInbox implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookInbox.name);
  private draining?: Promise<void>;
  private again = false;
  private retry?: NodeJS.Timeout;
  private stopped = false;
  private readonly queued: QueuedStore[] = [];
  /** Stored events not applied yet, as the intake parsed them (the applier need not read and parse them again). */
  private readonly parsed = new Map<string, Stripe.Event>();
  /**
   * Events applied here lately, oldest first (a Set keeps insertion order): Stripe retries a
   * delivery it saw fail, and a retry of one applied since is a duplicate known without asking
   * PostgreSQL. Older or another process's are stored again and skipped by the applier.
   */
  private readonly recentlyApplied = new Set<string>();
  /** Tied snapshots waiting for their re-read, by object. */
  private readonly ties = new Map<string, SnapshotTie>();
  private tiesSince?: number;
  private settleTimer?: NodeJS.Timeout;
  private settling?: Promise<void>;
  private settleFailed = false;
  private storing = 0;
  private storeScheduled = false;
  /**
   * Each scan starts after this inbox `seq`, not at the table's start, where the rows deleted
   * since the last vacuum lie (a queue table's dead tuples: wading through them was a
   * millisecond per batch). Below it every row this process stored is applied: it never
   * passes the `knownSeq` a store statement still in flight started with, since that
   * statement's rows get higher numbers (nextval only grows) and may commit after a scan saw
   * higher ones. Rows below it from another process (committed late) are found by the
   * start-up sweep and by `idle`, which start over.
   */
  private appliedThrough = 0n;
  /** The highest `seq` this process has seen stored (returned by an insert or read by a scan). */
  private knownSeq = 0n;
  /** For each store statement in flight, the `knownSeq` it started with (its rows are above). */
  private readonly storeFloors: bigint[] = [];
  /** Requests made to re-read tied snapshots, since start (the bench and the shuffled-deliveries test print it). */
  rereads = 0;
  /** Events applied from the inbox, since start. */
  applied = 0;

  constructor(
    private readonly dataSource: DataSource,
    /** The account this inbox stores and applies for (one inbox per account: AccountRuntimes.inboxFor). */
    @Inject(STRIPE_CONNECTION) private readonly connection: Pick<StripeConnection, 'accountId'>,
    private readonly sync: StripeSyncService,
    private readonly changes: LedgerChanges,
  ) {}

  /**
   * The inbox's own work (storing, applying, re-reading ties) runs in the scope of the account
   * whose endpoint it serves, whichever delivery or timer started it.
   * TODO(accountrt): one inbox per account (or the account of each row) for Connect.
   */
  private scoped<T>(work: () => Promise<T>): Promise<T> {
    return runForAccount(this.connection.accountId, work);
  }

  /** The sweep: events stored but not applied when the last process stopped. */
  onApplicationBootstrap(): void {
    this.wake();
    // Ties a stopped process had not re-read yet.
    void this.scoped(() => this.sync.pendingTies()).then(
      (ties) => this.queueTies(ties),
      (error: unknown) => this.logger.error(`reading the pending re-reads failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  /**
   * Stores a verified event; false when it is a duplicate: a copy waiting in the inbox, or an
   * event this process applied lately (`recentlyApplied`). A copy of an event applied longer
   * ago or by another process is stored again, told new, and skipped by the applier, which
   * records every event id it applies (`processed_events`): applied once either way, without
   * a lookup of the applied ids on every store. Group commit: deliveries arriving while every
   * store statement is in flight (STORES_IN_FLIGHT) wait for the next one and share it (one
   * multi-row statement, one commit); each promise settles only once its row is committed (or
   * the statement failed: then no 2xx, Stripe retries).
   */
  store(event: Stripe.Event, raw: string): Promise<boolean> {
    if (this.recentlyApplied.has(event.id)) return Promise.resolve(false);
    return new Promise((resolve, reject) => {
      this.queued.push({
        id: event.id,
        type: event.type,
        objectId: (event.data.object as { id?: string }).id ?? null,
        created: event.created,
        payload: raw,
        event,
        resolve,
        reject,
      });
      this.scheduleStore();
    });
  }

  /**
   * A store statement starts once the deliveries read in this turn of the event loop are
   * queued (setImmediate: after the I/O callbacks of the turn, before the next poll), so
   * requests that arrived together share one statement even while a slot is free, instead
   * of each taking one.
   */
  private scheduleStore(): void {
    if (this.storeScheduled || this.storing >= STORES_IN_FLIGHT) return;
    this.storeScheduled = true;
    setImmediate(() => {
      this.storeScheduled = false;
      if (this.queued.length > 0 && this.storing < STORES_IN_FLIGHT) void this.storeQueued();
    });
  }

  private async storeQueued(): Promise<void> {
    this.storing += 1;
    try {
      while (this.queued.length > 0) {
        const batch = this.queued.splice(0, STORE_BATCH);
        try {
          const floor = this.knownSeq;
          this.storeFloors.push(floor);
          let fresh: Set<string>;
          try {
            fresh = await this.insert(batch);
          } finally {
            this.storeFloors.splice(this.storeFloors.indexOf(floor), 1);
          }
          // The first delivery of an event stored now is the fresh one; a second copy in the same statement is a duplicate.
          for (const item of batch) {
            const stored = fresh.delete(item.id);
            if (stored && this.parsed.size < PARSED_KEPT) this.parsed.set(item.id, item.event);
            item.resolve(stored);
          }
        } catch (error) {
          for (const item of batch) item.reject(error);
        }
      }
    } finally {
      this.storing -= 1;
    }
  }

  /**
   * One statement for the batch, rows in arrival order (`seq` follows it: the array feeds the
   * insert row by row, nothing between them reorders); the ids stored now. Prepared: run for
   * every few deliveries, its parsing cost more than its execution. It does not look up the
   * applied events (`processed_events`): that lookup was half the statement's cost, and the
   * applier skips an applied event anyway (see `store`).
   */
  private async insert(batch: QueuedStore[]): Promise<Set<string>> {
    const rows = await this.scoped(() =>
      runPrepared<{ id: string; seq: string }>(this.dataSource, STORE_EVENTS, [
        this.connection.accountId,
        batch.map((item) => item.id),
        batch.map((item) => item.type),
        batch.map((item) => item.objectId),
        batch.map((item) => item.created),
        batch.map((item) => item.payload),
      ]),
    );
    for (const row of rows) if (BigInt(row.seq) > this.knownSeq) this.knownSeq = BigInt(row.seq);
    return new Set(rows.map((row) => row.id));
  }

  /** Starts applying (or makes the running drain look again when it is done). */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    // A moment's wait lets a burst of deliveries share one batch (one transaction) instead of one each.
    this.draining = new Promise((resolve) => setTimeout(resolve, COALESCE_MS))
      .then(() => this.scoped(() => this.drain()))
      .finally(() => {
        this.draining = undefined;
        if (this.again) this.wake();
      });
  }

  /**
   * Resolves when everything stored so far is applied and its ties re-read, without waiting
   * for the quiet moment (tests, bench, the pipeline, shutdown). When Stripe cannot be read
   * for the re-reads, it resolves with them pending (they are retried).
   */
  async idle(): Promise<void> {
    for (;;) {
      if (this.draining) await this.draining;
      const [{ n }]: { n: number }[] = await this.scoped(() =>
        this.dataSource.query(`SELECT count(*)::int AS n FROM webhook_inbox WHERE stripe_account_id = $1`, [this.connection.accountId]),
      );
      if (this.stopped) return;
      if (n === 0 && !this.draining) {
        if (this.settling) await this.settling;
        if (this.ties.size === 0 || this.settleFailed) return;
        await this.settle();
        continue;
      }
      if (!this.draining) {
        this.appliedThrough = 0n;
        this.wake();
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Stops waking; waits for the batch and the re-reads in flight (pending ties stay stored for the next start). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    await this.draining;
    await this.settling;
  }

  /** Ties wait for a pause in deliveries: one re-read then covers every snapshot of that second, and list requests cover many objects. */
  private queueTies(ties: SnapshotTie[]): void {
    if (ties.length === 0 || this.stopped) return;
    for (const tie of ties) this.ties.set(tieKey(tie), tie);
    this.tiesSince ??= Date.now();
    if (this.settleTimer) clearTimeout(this.settleTimer);
    const wait = Math.max(0, Math.min(SETTLE_QUIET_MS, this.tiesSince + SETTLE_MAX_WAIT_MS - Date.now()));
    this.settleTimer = setTimeout(() => void this.settle(), wait);
  }

  /** Re-reads the queued ties now (after the batch in flight). */
  private settle(): Promise<void> {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    if (this.settling || this.ties.size === 0) return this.settling ?? Promise.resolve();
    const ties = [...this.ties.values()];
    this.ties.clear();
    this.tiesSince = undefined;
    this.settling = (this.draining ?? Promise.resolve())
      .then(() => this.scoped(() => this.sync.settleTies(ties)))
      .then(
        (requests) => {
          this.settleFailed = false;
          this.rereads += requests;
          // A re-read can move a due date: the reactions look at those clients again.
          for (const clientId of new Set(ties.map((tie) => tie.customer ?? (tie.type === 'customers' ? tie.id : null))))
            if (clientId) this.changes.notify({ clientId, eventType: 'invoice.updated', accountId: this.connection.accountId });
        },
        (error: unknown) => {
          this.settleFailed = true;
          this.logger.error(`re-reading tied snapshots failed (kept, retrying): ${error instanceof Error ? error.message : String(error)}`);
          for (const tie of ties) if (!this.ties.has(tieKey(tie))) this.ties.set(tieKey(tie), tie);
          if (!this.stopped) this.settleTimer = setTimeout(() => void this.settle(), RETRY_MS);
        },
      )
      .finally(() => {
        this.settling = undefined;
        if (this.ties.size > 0 && !this.settleTimer && !this.stopped) this.queueTies([]);
      });
    return this.settling;
  }

  private async drain(): Promise<void> {
    for (;;) {
      this.again = false;
      let count: number;
      try {
        count = await this.applyOnce();
      } catch (error) {
        if (this.stopped) return;
        this.logger.error(`applying webhook events failed (kept in the inbox, retrying): ${error instanceof Error ? error.message : String(error)}`);
        if (!this.retry) this.retry = setTimeout(() => ((this.retry = undefined), this.wake()), RETRY_MS);
        return;
      }
      if (count < BATCH && !this.again) return;
    }
  }

  /** One batch; the number of inbox rows taken. */
  private async applyOnce(): Promise<number> {
    // What a store in flight now may still commit lies above its floor: the scan may not move past it.
    const floor = this.storeFloors.reduce((lowest, seq) => (seq < lowest ? seq : lowest), this.knownSeq);
    const rows = await runPrepared<{ seq: string; id: string }>(this.dataSource, NEXT_EVENTS, [this.connection.accountId, String(this.appliedThrough)]);
    if (rows.length === 0) return 0;
    const seqs = rows.map((row) => row.seq);
    // Events this process stored are still parsed in memory; the others (swept, or stored by another process) are read back.
    const unknown = rows.filter((row) => !this.parsed.has(row.id));
    if (unknown.length > 0) {
      const stored: { id: string; payload: string }[] = await this.dataSource.query(`SELECT id, payload FROM webhook_inbox WHERE seq = ANY($1::bigint[])`, [
        unknown.map((row) => row.seq),
      ]);
      for (const row of stored) this.parsed.set(row.id, JSON.parse(row.payload) as Stripe.Event);
    }
    const events = rows.map((row) => this.parsed.get(row.id)).filter((event): event is Stripe.Event => event !== undefined);
    const outcome = await this.sync.applyBatch(events, async (manager) => {
      await runPrepared(manager, DELETE_APPLIED, [seqs]);
    });
    for (const row of rows) {
      this.parsed.delete(row.id);
      this.rememberApplied(row.id);
    }
    const last = BigInt(rows[rows.length - 1].seq);
    if (last > this.knownSeq) this.knownSeq = last;
    this.appliedThrough = last < floor ? last : floor;
    this.applied += outcome.applied.length;
    this.queueTies(outcome.ties);
    await this.react(outcome.applied);
    return rows.length;
  }

  private rememberApplied(id: string): void {
    this.recentlyApplied.add(id);
    if (this.recentlyApplied.size > RECENTLY_APPLIED_KEPT) this.recentlyApplied.delete(this.recentlyApplied.values().next().value as string);
  }

  /** The reactions for the clients whose arrears the applied events may have settled. */
  private async react(applied: Stripe.Event[]): Promise<void> {
    const settling = applied.filter((event) => SETTLING_EVENTS.has(event.type));
    if (settling.length === 0) return;
    const viaInvoice = settling
      .filter((event) => !customerOf(event))
      .map(invoiceOf)
      .filter((id): id is string => !!id);
    const clientOfInvoice = new Map<string, string>();
    if (viaInvoice.length > 0) {
      const found: { id: string; client_id: string }[] = await this.dataSource.query(`SELECT id, client_id FROM invoices WHERE id = ANY($1)`, [viaInvoice]);
      for (const row of found) clientOfInvoice.set(row.id, row.client_id);
    }
    for (const event of settling) {
      const invoice = invoiceOf(event);
      const clientId = customerOf(event) ?? (invoice ? clientOfInvoice.get(invoice) : undefined);
      if (clientId) this.changes.notify({ clientId, eventType: event.type, accountId: this.connection.accountId });
    }
  }
}

/** The group commit's statement (see `insert`). */
const STORE_EVENTS = preparedStatement(
  'webhook_inbox_store',
  `INSERT INTO webhook_inbox (id, stripe_account_id, type, object_id, stripe_created_at, payload)
   SELECT r.id, $1, r.type, r.object_id, r.created, r.payload
     FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[]) AS r(id, type, object_id, created, payload)
   ON CONFLICT (id) DO NOTHING RETURNING id, seq`,
);

/** The applier's scan: the next batch after the last `seq` applied. */
const NEXT_EVENTS = preparedStatement(
  'webhook_inbox_next',
  `SELECT seq, id FROM webhook_inbox WHERE stripe_account_id = $1 AND seq > $2 ORDER BY seq LIMIT ${BATCH}`,
);
const DELETE_APPLIED = preparedStatement('webhook_inbox_delete_applied', `DELETE FROM webhook_inbox WHERE seq = ANY($1::bigint[])`);

/** A delivery waiting for its store statement. */
interface QueuedStore {
  id: string;
  type: string;
  objectId: string | null;
  created: number;
  payload: string;
  event: Stripe.Event;
  resolve(fresh: boolean): void;
  reject(error: unknown): void;
}

/** The customer an event concerns, for the objects that carry one (invoices, credit notes, subscriptions, customers). */
export function customerOf(event: Stripe.Event): string | undefined {
  const object = event.data.object as {
    object?: string;
    id?: string;
    customer?: string | { id: string } | null;
  };
  if (object.object === 'customer') return object.id;
  if (typeof object.customer === 'string') return object.customer;
  return object.customer?.id ?? undefined;
}

/** The invoice an `invoice_payment` belongs to: it has no `customer`, its invoice has. */
function invoiceOf(event: Stripe.Event): string | undefined {
  const object = event.data.object as {
    object?: string;
    invoice?: string | { id: string } | null;
  };
  if (object.object !== 'invoice_payment') return undefined;
  return typeof object.invoice === 'string' ? object.invoice : (object.invoice?.id ?? undefined);
}
