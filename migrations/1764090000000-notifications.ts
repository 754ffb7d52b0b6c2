import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Owner emails.
 * - `outbox_messages`: every email is first a row written in the same transaction as the
 *   event that causes it; `dedupe_key` UNIQUE is what makes "never the same email twice"
 *   hold across re-runs. `lease_until` + `claim_token` guard the `sending` state (see
 *   src/notifications/outbox/outbox.service.ts for the crash-window reasoning).
 * - `alert_watermarks`: per client, the last risk assessment the alert producer looked at,
 *   so a re-run never alerts on the same change twice.
 */
export class Notifications1764090000000 implements MigrationInterface {
  name = 'Notifications1764090000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox_messages (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind             text NOT NULL CHECK (kind IN ('alert', 'action', 'pause', 'resume', 'digest')),
        recipient        text NOT NULL,
        dedupe_key       text NOT NULL UNIQUE,
        client_id        text,
        subject          text NOT NULL,
        text             text NOT NULL,
        html             text NOT NULL,
        payload          jsonb NOT NULL DEFAULT '{}',
        status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz NOT NULL DEFAULT now(),
        lease_until      timestamptz,
        claim_token      uuid,
        last_error       text,
        transport_id     text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        sent_at          timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_messages_due_idx ON outbox_messages (next_attempt_at) WHERE status IN ('pending', 'sending')`);
    await q.query(`CREATE INDEX outbox_messages_client_kind_idx ON outbox_messages (client_id, kind, created_at)`);
    await q.query(`
      CREATE TABLE alert_watermarks (
        client_id      text PRIMARY KEY,
        assessment_id  uuid NOT NULL,
        assessed_at    timestamptz NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS alert_watermarks`);
    await q.query(`DROP TABLE IF EXISTS outbox_messages`);
  }
}
