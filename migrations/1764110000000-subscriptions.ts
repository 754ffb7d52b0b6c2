import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Subscriptions mirrored from Stripe: what policies act on (pause collection, price rises
 * through schedules, cancellation).
 * - `pause_behavior` / `pause_resumes_at` flatten `pause_collection` (null when collecting).
 * - `items` keeps the current items as Stripe has them (id, price, product, quantity,
 *   unit_amount, interval); `price_ids` repeats the prices for simple `= ANY` queries.
 * - `observed_at` is when payrisk read this state from Stripe (a page of the backfill or a
 *   re-fetch after an event): the ordering guard never lets an earlier read overwrite a
 *   later one, and `canceled` / `incomplete_expired` are final.
 */
export class Subscriptions1764110000000 implements MigrationInterface {
  name = 'Subscriptions1764110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE subscriptions (
        id                    text PRIMARY KEY,
        stripe_account_id     text NOT NULL,
        client_id             text NOT NULL,
        status                text NOT NULL,
        collection_method     text NOT NULL,
        currency              char(3) NOT NULL,
        days_until_due        integer,
        pause_behavior        text CHECK (pause_behavior IS NULL OR pause_behavior IN ('keep_as_draft', 'mark_uncollectible', 'void')),
        pause_resumes_at      timestamptz,
        cancel_at             timestamptz,
        cancel_at_period_end  boolean NOT NULL DEFAULT false,
        canceled_at           timestamptz,
        ended_at              timestamptz,
        current_period_start  timestamptz,
        current_period_end    timestamptz,
        items                 jsonb NOT NULL DEFAULT '[]',
        price_ids             text[] NOT NULL DEFAULT '{}',
        schedule_id           text,
        latest_invoice_id     text,
        metadata              jsonb NOT NULL DEFAULT '{}',
        stripe_created_at     timestamptz NOT NULL,
        observed_at           timestamptz NOT NULL,
        synced_at             timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX subscriptions_client_idx ON subscriptions (client_id, status)`);
    await q.query(`CREATE INDEX subscriptions_account_created_idx ON subscriptions (stripe_account_id, stripe_created_at)`);
    // Invoice payments arrive before or after their invoice; the client is filled in from the invoice.
    await q.query(`CREATE INDEX invoice_payments_missing_client_idx ON invoice_payments (invoice_id) WHERE client_id IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS invoice_payments_missing_client_idx`);
    await q.query(`DROP TABLE IF EXISTS subscriptions`);
  }
}
