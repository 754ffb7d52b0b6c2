import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Policies act on clients; every decision is an action with an audit trail.
 * - `actions.dedupe_key` UNIQUE is what makes a second run of the policy job (or two
 *   instances racing) produce nothing new: e.g. `late_fee:in_123:0` for the first fee
 *   period of an invoice, `work_pause:cus_1:in_9` for a pause caused by invoice in_9.
 * - The Stripe idempotency key of every write is derived from `actions.id`, so a crash
 *   between the Stripe call and the database write is repaired by replaying the same key.
 * - `action_audit` has one row per status transition, with who did it and the Stripe ids.
 * - `invoice_payments` (synced from Stripe) lets reports say what was open "as of" a date,
 *   partial payments included.
 */
export class Policies1764100000000 implements MigrationInterface {
  name = 'Policies1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE actions (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind               text NOT NULL CHECK (kind IN ('late_fee', 'work_pause', 'work_resume', 'price_increase')),
        client_id          text NOT NULL,
        stripe_account_id  text NOT NULL,
        status             text NOT NULL CHECK (status IN ('proposed', 'approved', 'applied', 'rejected', 'failed', 'waived', 'expired')),
        mode               text NOT NULL DEFAULT 'approve' CHECK (mode IN ('auto', 'approve')),
        invoice_id         text,
        amount             bigint CHECK (amount IS NULL OR amount >= 0),
        currency           char(3),
        dedupe_key         text NOT NULL UNIQUE,
        reason             text NOT NULL DEFAULT '',
        params             jsonb NOT NULL DEFAULT '{}',
        stripe_ids         jsonb NOT NULL DEFAULT '{}',
        error              text,
        proposed_at        timestamptz NOT NULL,
        expires_at         timestamptz,
        decided_at         timestamptz,
        applied_at         timestamptz,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        CHECK ((amount IS NULL) = (currency IS NULL))
      )`);
    await q.query(`CREATE INDEX actions_client_idx ON actions (client_id, kind, status)`);
    await q.query(`CREATE INDEX actions_status_idx ON actions (status, proposed_at)`);
    await q.query(`CREATE INDEX actions_invoice_idx ON actions (invoice_id) WHERE invoice_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE action_audit (
        id           bigserial PRIMARY KEY,
        action_id    uuid NOT NULL REFERENCES actions (id),
        from_status  text,
        to_status    text NOT NULL,
        actor        text NOT NULL CHECK (actor IN ('system', 'owner_link', 'api', 'cli')),
        at           timestamptz NOT NULL,
        stripe_ids   jsonb NOT NULL DEFAULT '{}',
        note         text
      )`);
    await q.query(`CREATE INDEX action_audit_action_idx ON action_audit (action_id, id)`);

    await q.query(`
      CREATE TABLE invoice_payments (
        id                 text PRIMARY KEY,
        stripe_account_id  text NOT NULL,
        invoice_id         text NOT NULL,
        client_id          text,
        status             text NOT NULL,
        currency           char(3) NOT NULL,
        amount_paid        bigint NOT NULL DEFAULT 0,
        amount_requested   bigint NOT NULL DEFAULT 0,
        paid_at            timestamptz,
        stripe_created_at  timestamptz NOT NULL,
        synced_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX invoice_payments_invoice_idx ON invoice_payments (invoice_id, paid_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS invoice_payments`);
    await q.query(`DROP TABLE IF EXISTS action_audit`);
    await q.query(`DROP TABLE IF EXISTS actions`);
  }
}
