import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger of synced Stripe facts plus the owner's own records.
 * - Every table holding Stripe data carries `stripe_account_id` so Stripe Connect fits later.
 * - Money is integer minor units (`bigint`) with a lowercase ISO currency, as Stripe stores it.
 * - `due_at` is the effective due date (architecture.md "Words": `due_date` for send_invoice,
 *   `status_transitions.finalized_at` for charge_automatically), computed once at write time.
 */
export class Ledger1764050000000 implements MigrationInterface {
  name = 'Ledger1764050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE clients (
        id                 text PRIMARY KEY,
        stripe_account_id  text NOT NULL,
        livemode           boolean NOT NULL DEFAULT false,
        name               text,
        email              text,
        currency           char(3),
        metadata           jsonb NOT NULL DEFAULT '{}',
        exempt             boolean GENERATED ALWAYS AS (coalesce(metadata->>'payrisk_exempt', '') = 'true') STORED,
        work_status        text NOT NULL DEFAULT 'active' CHECK (work_status IN ('active', 'paused')),
        deleted            boolean NOT NULL DEFAULT false,
        stripe_created_at  timestamptz NOT NULL,
        synced_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX clients_account_idx ON clients (stripe_account_id)`);

    await q.query(`
      CREATE TABLE invoices (
        id                      text PRIMARY KEY,
        stripe_account_id       text NOT NULL,
        client_id               text NOT NULL,
        number                  text,
        status                  text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'uncollectible', 'void')),
        collection_method       text NOT NULL CHECK (collection_method IN ('charge_automatically', 'send_invoice')),
        currency                char(3) NOT NULL,
        subtotal                bigint NOT NULL,
        total                   bigint NOT NULL,
        total_discount          bigint NOT NULL DEFAULT 0,
        amount_due              bigint NOT NULL,
        amount_paid             bigint NOT NULL,
        amount_remaining        bigint NOT NULL,
        subscription_id         text,
        attempt_count           integer NOT NULL DEFAULT 0,
        stripe_created_at       timestamptz NOT NULL,
        finalized_at            timestamptz,
        due_at                  timestamptz,
        paid_at                 timestamptz,
        voided_at               timestamptz,
        marked_uncollectible_at timestamptz,
        days_late_when_paid     integer,
        metadata                jsonb NOT NULL DEFAULT '{}',
        synced_at               timestamptz NOT NULL DEFAULT now(),
        CHECK (amount_remaining >= 0 AND amount_paid >= 0)
      )`);
    await q.query(`CREATE INDEX invoices_client_due_idx ON invoices (client_id, due_at)`);
    await q.query(`CREATE INDEX invoices_status_idx ON invoices (status)`);
    await q.query(`CREATE INDEX invoices_open_due_idx ON invoices (due_at) WHERE status = 'open'`);
    await q.query(`CREATE INDEX invoices_account_created_idx ON invoices (stripe_account_id, stripe_created_at)`);

    await q.query(`
      CREATE TABLE credit_notes (
        id                 text PRIMARY KEY,
        stripe_account_id  text NOT NULL,
        client_id          text NOT NULL,
        invoice_id         text NOT NULL,
        number             text,
        status             text NOT NULL CHECK (status IN ('issued', 'void')),
        type               text NOT NULL,
        reason             text,
        currency           char(3) NOT NULL,
        amount             bigint NOT NULL,
        reduces_owed       boolean NOT NULL,
        stripe_created_at  timestamptz NOT NULL,
        voided_at          timestamptz,
        metadata           jsonb NOT NULL DEFAULT '{}',
        synced_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX credit_notes_client_created_idx ON credit_notes (client_id, stripe_created_at)`);
    await q.query(`CREATE INDEX credit_notes_invoice_idx ON credit_notes (invoice_id)`);

    await q.query(`
      CREATE TABLE disputes (
        id                 text PRIMARY KEY,
        stripe_account_id  text NOT NULL,
        client_id          text,
        invoice_id         text,
        charge_id          text,
        payment_intent_id  text,
        currency           char(3) NOT NULL,
        amount             bigint NOT NULL,
        reason             text NOT NULL,
        status             text NOT NULL,
        stripe_created_at  timestamptz NOT NULL,
        synced_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX disputes_client_created_idx ON disputes (client_id, stripe_created_at)`);

    await q.query(`
      CREATE TABLE discount_requests (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stripe_account_id  text NOT NULL,
        client_id          text NOT NULL,
        currency           char(3) NOT NULL,
        amount             bigint NOT NULL CHECK (amount > 0),
        note               text,
        requested_at       timestamptz NOT NULL,
        created_by         text NOT NULL,
        created_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX discount_requests_client_requested_idx ON discount_requests (client_id, requested_at)`);

    await q.query(`
      CREATE TABLE sync_cursors (
        stripe_account_id  text NOT NULL,
        stream             text NOT NULL,
        cursor             text,
        state              jsonb NOT NULL DEFAULT '{}',
        updated_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (stripe_account_id, stream)
      )`);

    await q.query(`
      CREATE TABLE processed_events (
        id                 text PRIMARY KEY,
        stripe_account_id  text NOT NULL,
        type               text NOT NULL,
        api_version        text,
        object_id          text,
        stripe_created_at  timestamptz NOT NULL,
        received_at        timestamptz NOT NULL DEFAULT now(),
        processed_at       timestamptz
      )`);
    await q.query(`CREATE INDEX processed_events_created_idx ON processed_events (stripe_account_id, stripe_created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['processed_events', 'sync_cursors', 'discount_requests', 'disputes', 'credit_notes', 'invoices', 'clients']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
