import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Money is `bigint` in PostgreSQL and a JavaScript number in the code, exact only up to
 * 2^53 − 1 (Number.MAX_SAFE_INTEGER). The mappers refuse a Stripe amount beyond it
 * (row-guard `requireAmount`); these CHECKs make the database refuse one from anywhere else,
 * so every amount the code reads back, as a number or through float8/JSON, is exact.
 */
const MONEY_COLUMNS: Record<string, string[]> = {
  invoices: ['subtotal', 'total', 'total_discount', 'amount_due', 'amount_paid', 'amount_remaining'],
  credit_notes: ['amount'],
  disputes: ['amount'],
  discount_requests: ['amount'],
  actions: ['amount'],
  invoice_payments: ['amount_paid', 'amount_requested'],
};
const SAFE = '9007199254740991';

export class SafeAmounts1764430000000 implements MigrationInterface {
  name = 'SafeAmounts1764430000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, columns] of Object.entries(MONEY_COLUMNS)) {
      const checks = columns.map((column) => `ADD CONSTRAINT ${table}_${column}_safe CHECK (${column} BETWEEN -${SAFE} AND ${SAFE})`);
      await q.query(`ALTER TABLE ${table} ${checks.join(', ')}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, columns] of Object.entries(MONEY_COLUMNS)) {
      await q.query(`ALTER TABLE ${table} ${columns.map((column) => `DROP CONSTRAINT IF EXISTS ${table}_${column}_safe`).join(', ')}`);
    }
  }
}
