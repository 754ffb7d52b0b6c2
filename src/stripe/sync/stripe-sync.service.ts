import type Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { applyObjects, ledgerTypeOf } from './stripe-object-applier';
import { SYNCED_TYPES, SyncedType, SyncProgress } from './sync-types';

const PAGE = 100;
/** Stripe keeps events for 30 days; a cursor older than this cannot be caught up from events. */
const EVENT_RETENTION_SECONDS = 30 * 86_400;

export interface SyncSummary {
  mode: 'backfill' | 'catch-up';
  counts: Partial<Record<SyncedType, number>>;
  events?: number;
}

/**
 * Mirrors Stripe into the ledger: a resumable backfill (checkpoint per type after every
 * page in sync_cursors) and an events catch-up (events since the cursor, applied oldest
 * first, deduplicated by event id so same-second events are never dropped).
 */
export class StripeSyncService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stripe: Stripe,
    private readonly accountId: string,
    private readonly onProgress: (progress: SyncProgress) => void = () => undefined,
  ) {}

  async backfill(options: { full?: boolean } = {}): Promise<SyncSummary> {
    if (options.full) {
      await this.dataSource.query(`DELETE FROM sync_cursors WHERE stripe_account_id = $1 AND stream LIKE 'backfill:%'`, [this.accountId]);
    }
    // Events before the backfill started are covered by the backfill itself.
    const startedAt = Math.floor(Date.now() / 1000);
    const counts: SyncSummary['counts'] = {};
    for (const type of SYNCED_TYPES) counts[type] = await this.backfillType(type);
    await this.saveCursor('events', String(startedAt - 1), {});
    return { mode: 'backfill', counts };
  }

  /** Catch up from events; falls back to a backfill when there is no usable cursor. */
  async catchUp(): Promise<SyncSummary> {
    const cursor = await this.loadCursor('events');
    const since = cursor?.cursor ? Number(cursor.cursor) : undefined;
    if (since === undefined || since < Math.floor(Date.now() / 1000) - EVENT_RETENTION_SECONDS) return this.backfill({ full: true });

    const events: Stripe.Event[] = [];
    // gte, not gt: several events share a second; duplicates are skipped by id below.
    for await (const event of this.stripe.events.list({ created: { gte: since }, limit: PAGE })) events.push(event);
    events.reverse(); // Stripe lists newest first; apply in the order they happened.
    let applied = 0;
    let newest = since;
    const counts: SyncSummary['counts'] = {};
    for (const event of events) {
      if (await this.applyEvent(event)) {
        applied += 1;
        const type = ledgerTypeOf(event.data.object as { object?: string });
        if (type) counts[type] = (counts[type] ?? 0) + 1;
      }
      newest = Math.max(newest, event.created);
    }
    await this.saveCursor('events', String(newest), {});
    return { mode: 'catch-up', counts, events: applied };
  }

  /** Records the event id (a duplicate is a no-op) and applies its object; true when it was new. */
  async applyEvent(event: Stripe.Event): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const object = event.data.object as { id?: string; object?: string };
      const inserted: unknown[] = await manager.query(
        `INSERT INTO processed_events (id, stripe_account_id, type, api_version, object_id, stripe_created_at, processed_at)
         VALUES ($1, $2, $3, $4, $5, to_timestamp($6), now()) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [event.id, this.accountId, event.type, event.api_version ?? null, object.id ?? null, event.created],
      );
      if (inserted.length === 0) return false;
      const type = ledgerTypeOf(object);
      if (type) await applyObjects(manager, type, [await this.currentState(type, object)], this.accountId);
      return true;
    });
  }

  /**
   * Disputes need their charge expanded to find the client; everything else is applied as
   * delivered, the writer's ordering guard keeping the newest state.
   */
  private async currentState(type: SyncedType, object: { id?: string }): Promise<unknown> {
    if (type === 'disputes' && object.id) return this.stripe.disputes.retrieve(object.id, { expand: ['charge'] });
    return object;
  }

  private async backfillType(type: SyncedType): Promise<number> {
    const stream = `backfill:${type}`;
    const checkpoint = await this.loadCursor(stream);
    if (checkpoint?.state.complete) return 0;
    const started = Date.now();
    let synced = Number(checkpoint?.state.synced ?? 0);
    let page: unknown[] = [];
    const flush = async () => {
      if (page.length === 0) return;
      const lastId = (page[page.length - 1] as { id: string }).id;
      await this.dataSource.transaction(async (manager) => {
        await applyObjects(manager, type, page, this.accountId);
        await this.saveCursor(stream, lastId, { synced: synced + page.length }, manager);
      });
      synced += page.length;
      page = [];
      this.onProgress({ type, synced, ratePerSecond: Math.round(synced / Math.max(0.001, (Date.now() - started) / 1000)) });
    };
    // Resume after the last object of the last committed page.
    const params = { limit: PAGE, ...(checkpoint?.cursor ? { starting_after: checkpoint.cursor } : {}) };
    for await (const object of this.list(type, params)) {
      page.push(object);
      if (page.length === PAGE) await flush();
    }
    await flush();
    await this.saveCursor(stream, null, { complete: true, synced });
    return synced;
  }

  private list(type: SyncedType, params: { limit: number; starting_after?: string }): AsyncIterable<unknown> {
    switch (type) {
      case 'customers':
        return this.stripe.customers.list(params);
      case 'invoices':
        return this.stripe.invoices.list(params);
      case 'credit_notes':
        return this.stripe.creditNotes.list(params);
      case 'disputes':
        return this.stripe.disputes.list({ ...params, expand: ['data.charge'] });
    }
  }

  private async loadCursor(stream: string): Promise<{ cursor: string | null; state: Record<string, unknown> } | undefined> {
    const rows: { cursor: string | null; state: Record<string, unknown> }[] = await this.dataSource.query(
      `SELECT cursor, state FROM sync_cursors WHERE stripe_account_id = $1 AND stream = $2`,
      [this.accountId, stream],
    );
    return rows[0];
  }

  private async saveCursor(stream: string, cursor: string | null, state: Record<string, unknown>, manager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO sync_cursors (stripe_account_id, stream, cursor, state, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (stripe_account_id, stream) DO UPDATE SET cursor = excluded.cursor, state = excluded.state, updated_at = now()`,
      [this.accountId, stream, cursor, JSON.stringify(state)],
    );
  }
}
