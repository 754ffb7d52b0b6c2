import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for incremental detection (src/risk/persistence/changed-clients.query.ts): find
 * the facts synced since a client's last assessment from the change side, so the cost
 * follows what changed rather than the size of the ledger.
 */
export class RiskIndexes1764130000000 implements MigrationInterface {
  name = 'RiskIndexes1764130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS invoices_synced_idx ON invoices (synced_at)`);
    await q.query(`CREATE INDEX IF NOT EXISTS credit_notes_synced_idx ON credit_notes (synced_at)`);
    await q.query(`CREATE INDEX IF NOT EXISTS disputes_synced_idx ON disputes (synced_at)`);
    await q.query(`CREATE INDEX IF NOT EXISTS discount_requests_created_idx ON discount_requests (created_at)`);
    // "Has an open invoice" for each client not assessed today: one probe of a small partial index.
    await q.query(`CREATE INDEX IF NOT EXISTS invoices_open_client_idx ON invoices (client_id) WHERE status = 'open'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of [
      'invoices_open_client_idx',
      'discount_requests_created_idx',
      'disputes_synced_idx',
      'credit_notes_synced_idx',
      'invoices_synced_idx',
    ]) {
      await q.query(`DROP INDEX IF EXISTS ${index}`);
    }
  }
}
