import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Many Stripe accounts (issue 18): who may see which account.
 * - `people`: an owner or accountant who signs in to the dashboard (an email, unique
 *   case-insensitively, and a display name).
 * - `account_grants`: person → Stripe account, as `owner` (may decide actions) or
 *   `accountant` (reads only). The environment's account (STRIPE_SECRET_KEY) has no row in
 *   `accounts`, so the account id is not a foreign key.
 * - `api_tokens`: bearer tokens for scripts, each for exactly one account or one person;
 *   only the SHA-256 of the token is kept, with a name and a hint (`prk_…wxyz`) to tell them
 *   apart; `revoked_at` set = refused from then on.
 * - `sign_in_codes.person_id` / `web_sessions.person_id`: a sign-in link and the session it
 *   opens belong to a person; null = the instance's owner (OWNER_EMAIL, the printed link),
 *   who sees every account, as before.
 * These tables are read before the account of a request is known (to find it), so they are
 * instance-wide, never behind the per-account row-level security.
 */
export class PeopleAndGrants1764730000000 implements MigrationInterface {
  name = 'PeopleAndGrants1764730000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE people (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email         text NOT NULL CHECK (email ~ '^[^@\\s]+@[^@\\s]+$'),
        display_name  text NOT NULL CHECK (length(btrim(display_name)) > 0),
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX people_email_idx ON people (lower(email))`);
    await q.query(`
      CREATE TABLE account_grants (
        person_id          uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
        stripe_account_id  text NOT NULL CHECK (stripe_account_id ~ '^acct_[A-Za-z0-9_]+$'),
        role               text NOT NULL CHECK (role IN ('owner', 'accountant')),
        created_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (person_id, stripe_account_id)
      )`);
    await q.query(`
      CREATE TABLE api_tokens (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name               text NOT NULL CHECK (length(btrim(name)) > 0),
        token_hash         text NOT NULL UNIQUE,
        hint               text NOT NULL,
        stripe_account_id  text CHECK (stripe_account_id ~ '^acct_[A-Za-z0-9_]+$'),
        person_id          uuid REFERENCES people (id) ON DELETE CASCADE,
        created_at         timestamptz NOT NULL DEFAULT now(),
        last_used_at       timestamptz,
        revoked_at         timestamptz,
        CHECK ((stripe_account_id IS NULL) <> (person_id IS NULL))
      )`);
    await q.query(`ALTER TABLE sign_in_codes ADD COLUMN person_id uuid REFERENCES people (id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE web_sessions ADD COLUMN person_id uuid REFERENCES people (id) ON DELETE CASCADE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE web_sessions DROP COLUMN IF EXISTS person_id`);
    await q.query(`ALTER TABLE sign_in_codes DROP COLUMN IF EXISTS person_id`);
    await q.query(`DROP TABLE IF EXISTS api_tokens`);
    await q.query(`DROP TABLE IF EXISTS account_grants`);
    await q.query(`DROP TABLE IF EXISTS people`);
  }
}
