import type { DataSource, EntityManager } from 'typeorm';

export interface SyncCursor {
  cursor: string | null;
  state: Record<string, unknown>;
}

/**
 * Where each sync stream left off, in `sync_cursors` (one row per account and stream):
 * `events` (catch-up), `backfill:started`, `backfill:<type>` (the type's range plan and
 * completion), `backfill:<type>#<n>` (one per `created` range: last id, count, done) and
 * `webhook:ties` (objects waiting for a re-read, by key: see tie-rereads.ts).
 *
 * A class bound to one account rather than a query module, and rows typed rather than checked:
 * a checkpoint is written with every page of the backfill and every webhook batch, on the ingest
 * hot path that `npm run bench:sync` measures (docs/architecture.md, "Reaching the database": exempt).
 */
export class SyncCursors {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accountId: string,
  ) {}

  async load(stream: string): Promise<SyncCursor | undefined> {
    const rows: SyncCursor[] = await this.dataSource.query(`SELECT cursor, state FROM sync_cursors WHERE stripe_account_id = $1 AND stream = $2`, [
      this.accountId,
      stream,
    ]);
    return rows[0];
  }

  async save(stream: string, cursor: string | null, state: Record<string, unknown>, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO sync_cursors (stripe_account_id, stream, cursor, state, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (stripe_account_id, stream) DO UPDATE SET cursor = excluded.cursor, state = excluded.state, updated_at = now()`,
      [this.accountId, stream, cursor, JSON.stringify(state)],
    );
  }

  /** Adds (or replaces) entries of a stream's state, keeping the others: concurrent writers add, never overwrite each other. */
  async mergeState(stream: string, entries: Record<string, unknown>, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO sync_cursors (stripe_account_id, stream, cursor, state, updated_at) VALUES ($1, $2, NULL, $3, now())
       ON CONFLICT (stripe_account_id, stream) DO UPDATE SET state = sync_cursors.state || excluded.state, updated_at = now()`,
      [this.accountId, stream, JSON.stringify(entries)],
    );
  }

  /** Removes the entries whose value is still the one given (one replaced since stays). */
  async forgetState(stream: string, entries: Record<string, unknown>): Promise<void> {
    await this.dataSource.query(
      `UPDATE sync_cursors SET state = state - ARRAY(SELECT e.key FROM jsonb_each(state) AS e WHERE $3::jsonb -> e.key = e.value), updated_at = now()
        WHERE stripe_account_id = $1 AND stream = $2`,
      [this.accountId, stream, JSON.stringify(entries)],
    );
  }

  /** Forgets every backfill checkpoint (`sync --full`); the events cursor stays. */
  async clearBackfill(): Promise<void> {
    await this.dataSource.query(`DELETE FROM sync_cursors WHERE stripe_account_id = $1 AND stream LIKE 'backfill:%'`, [this.accountId]);
  }
}
