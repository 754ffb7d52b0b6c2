import { MigrationInterface, QueryRunner } from 'typeorm';

/** The outbox also carries the price-increase notice payrisk sends a client when `priceIncrease.sendNotice` is on. */
export class ClientNotices1764140000000 implements MigrationInterface {
  name = 'ClientNotices1764140000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_kind_check`);
    await q.query(
      `ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_kind_check CHECK (kind IN ('alert', 'action', 'pause', 'resume', 'digest', 'client_notice'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM outbox_messages WHERE kind = 'client_notice'`);
    await q.query(`ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_kind_check`);
    await q.query(`ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_kind_check CHECK (kind IN ('alert', 'action', 'pause', 'resume', 'digest'))`);
  }
}
