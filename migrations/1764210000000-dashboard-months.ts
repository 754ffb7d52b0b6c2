import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard overview at 50,000 clients / 1,000,000 invoices:
 * - `invoices_closed_at_idx` on when an invoice stopped being owed (paid, voided or written
 *   off, whichever came first; NULL while owed): "open at D" becomes two index ranges
 *   (closed at or after D, or never) instead of a scan of the ledger.
 * - `invoices_finalized_idx`: billed in a month is a range of it.
 * - `dashboard_months` / `dashboard_month_figures`: receivables at the end and billed in each
 *   past calendar month, per currency, exactly as `GET /api/reports/dso` computes them for that
 *   month (src/dashboard/queries/month-figures.query.ts fills them when the overview asks).
 *   Kept up to date where the ledger changes: statement-level triggers on invoices,
 *   invoice_payments and credit_notes mark stale every month ending after the earliest
 *   finalization among the invoices a statement touched (nothing earlier can change), and the
 *   next overview recomputes just those. The trigger always takes the month rows' locks, so a
 *   recompute (which first marks its months fresh) waits for ledger writes in flight and never
 *   misses one.
 */
const MARK_STALE = (changed: string) => `
        UPDATE dashboard_months SET fresh = false
         WHERE (month + interval '1 month') > (${changed})`;

/** Earliest finalization (or creation) among the invoices of changed rows. */
const invoiceRows = (table: string) => `SELECT min(coalesce(t.finalized_at, t.stripe_created_at)) FROM ${table} t`;
const childRows = (table: string) =>
  `SELECT min(coalesce(i.finalized_at, i.stripe_created_at)) FROM invoices i WHERE i.id IN (SELECT t.invoice_id FROM ${table} t)`;

export class DashboardMonths1764210000000 implements MigrationInterface {
  name = 'DashboardMonths1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS invoices_closed_at_idx ON invoices ((least(paid_at, voided_at, marked_uncollectible_at)))`);
    await q.query(`CREATE INDEX IF NOT EXISTS invoices_finalized_idx ON invoices ((coalesce(finalized_at, stripe_created_at)))`);
    await q.query(`
      CREATE TABLE dashboard_months (
        month        date PRIMARY KEY,
        fresh        boolean NOT NULL,
        computed_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE dashboard_month_figures (
        month        date NOT NULL REFERENCES dashboard_months (month) ON DELETE CASCADE,
        currency     char(3) NOT NULL,
        receivables  bigint NOT NULL,
        billed       bigint NOT NULL,
        PRIMARY KEY (month, currency)
      )`);
    for (const [table, rows] of [
      ['invoices', invoiceRows],
      ['invoice_payments', childRows],
      ['credit_notes', childRows],
    ] as const) {
      await q.query(`
        CREATE FUNCTION dashboard_months_${table}_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            ${MARK_STALE(rows('new_rows'))};
          ELSIF TG_OP = 'UPDATE' THEN
            ${MARK_STALE(`SELECT least((${rows('old_rows')}), (${rows('new_rows')}))`)};
          ELSE
            ${MARK_STALE(rows('old_rows'))};
          END IF;
          RETURN NULL;
        END $$`);
      await q.query(`CREATE TRIGGER ${table}_dashboard_months_ins AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows
                       FOR EACH STATEMENT EXECUTE FUNCTION dashboard_months_${table}_changed()`);
      await q.query(`CREATE TRIGGER ${table}_dashboard_months_upd AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                       FOR EACH STATEMENT EXECUTE FUNCTION dashboard_months_${table}_changed()`);
      await q.query(`CREATE TRIGGER ${table}_dashboard_months_del AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows
                       FOR EACH STATEMENT EXECUTE FUNCTION dashboard_months_${table}_changed()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['invoices', 'invoice_payments', 'credit_notes']) {
      for (const op of ['ins', 'upd', 'del']) await q.query(`DROP TRIGGER IF EXISTS ${table}_dashboard_months_${op} ON ${table}`);
      await q.query(`DROP FUNCTION IF EXISTS dashboard_months_${table}_changed()`);
    }
    await q.query(`DROP TABLE IF EXISTS dashboard_month_figures`);
    await q.query(`DROP TABLE IF EXISTS dashboard_months`);
    await q.query(`DROP INDEX IF EXISTS invoices_finalized_idx`);
    await q.query(`DROP INDEX IF EXISTS invoices_closed_at_idx`);
  }
}
