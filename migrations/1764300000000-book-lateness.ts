import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole book's lateness for payment predictions (loadBookLateness in
 * src/risk/persistence/client-history.loader.ts), once per detection run: a partial index
 * over the paid invoices holding both dates, so Postgres answers it with an index-only scan
 * of (paid_at, due_at) from the lookback start on instead of reading every invoice row.
 */
export class BookLateness1764300000000 implements MigrationInterface {
  name = 'BookLateness1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS invoices_paid_lateness_idx ON invoices (paid_at, due_at) WHERE status = 'paid' AND due_at IS NOT NULL AND paid_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS invoices_paid_lateness_idx`);
  }
}
