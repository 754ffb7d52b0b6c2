import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Many Stripe accounts (issue 18), first step: the accounts added with `payrisk accounts add`.
 * - Keyed by the Stripe account id, the value every other table already carries in
 *   `stripe_account_id`.
 * - The API key and the webhook secret are stored sealed (AES-256-GCM, src/accounts/secrets):
 *   `…_sealed` holds `[key version][IV][tag][ciphertext]`; `api_key_hint` (`sk_test_…wxyz`)
 *   is all that is ever shown.
 * - `policy_file` null = the default policy file; `removed_at` set = no work runs for it any
 *   more (its data stays until `remove --purge`). A name names one account among those not
 *   removed, so `--account NAME` is unambiguous.
 * With no rows here payrisk works as before, on the account of STRIPE_SECRET_KEY.
 */
export class Accounts1764500000000 implements MigrationInterface {
  name = 'Accounts1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts (
        stripe_account_id      text PRIMARY KEY CHECK (stripe_account_id ~ '^acct_[A-Za-z0-9_]+$'),
        name                   text NOT NULL CHECK (length(btrim(name)) > 0),
        api_key_sealed         bytea NOT NULL,
        api_key_hint           text NOT NULL,
        livemode               boolean NOT NULL,
        webhook_secret_sealed  bytea,
        owner_email            text,
        policy_file            text,
        default_currency       text CHECK (default_currency ~ '^[a-z]{3}$'),
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now(),
        removed_at             timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX accounts_active_name_idx ON accounts (lower(name)) WHERE removed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS accounts`);
  }
}
