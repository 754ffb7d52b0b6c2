import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `invoices.days_late_when_paid` was written by the sync and read by nothing: days late is
 * computed in one place, `src/common/time` (with its SQL mirror), from `due_at` and `paid_at`.
 */
export class DropDaysLateWhenPaid1764410000000 implements MigrationInterface {
  name = 'DropDaysLateWhenPaid1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invoices DROP COLUMN IF EXISTS days_late_when_paid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invoices ADD COLUMN IF NOT EXISTS days_late_when_paid integer`);
    await q.query(
      `UPDATE invoices SET days_late_when_paid = greatest(0, floor(extract(epoch FROM paid_at - due_at) / 86400))::int
        WHERE status = 'paid' AND due_at IS NOT NULL AND paid_at IS NOT NULL`,
    );
  }
}
