import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook intake: a verified event is stored here in one statement before the 2xx, and
 * applied from here (in order per object, in batches) by the in-process applier. Rows are
 * deleted once applied; what is left at start-up is swept. Invoices and clients remember
 * the `created` of the event their stored state came from and a hash of what they store, so
 * two snapshots the state machine cannot order (same status, same amounts) are ordered by
 * their events, and a same-second tie is seen (and settled by one re-read, `reread_second`).
 */
export class WebhookInbox1764220000000 implements MigrationInterface {
  name = 'WebhookInbox1764220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_inbox (
        seq                bigserial PRIMARY KEY,
        id                 text NOT NULL UNIQUE,
        stripe_account_id  text NOT NULL,
        type               text NOT NULL,
        object_id          text,
        stripe_created_at  bigint NOT NULL,
        payload            text NOT NULL,
        received_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE invoices ADD COLUMN event_created bigint, ADD COLUMN content_hash text, ADD COLUMN reread_second bigint`);
    await q.query(`ALTER TABLE clients ADD COLUMN event_created bigint, ADD COLUMN content_hash text, ADD COLUMN reread_second bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clients DROP COLUMN event_created, DROP COLUMN content_hash, DROP COLUMN reread_second`);
    await q.query(`ALTER TABLE invoices DROP COLUMN event_created, DROP COLUMN content_hash, DROP COLUMN reread_second`);
    await q.query(`DROP TABLE webhook_inbox`);
  }
}
