import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stripe Connect (issue 18), the second way in: accounts connected through the platform by
 * OAuth (`GET /connect/start` → Stripe → `GET /connect/callback`).
 * - `connection`: `key` = added with its own key (`payrisk accounts add`); `connect` = a
 *   Standard account connected to the platform: calls for it use the platform's key with a
 *   `Stripe-Account` header, so no key of its own is stored (the CHECK holds it to that).
 * - `platform_account_id`: the platform whose key acts for it; `connect_scope`: what Stripe granted.
 * - `connect_oauth_states`: the OAuth `state` values handed out, stored as hashes; each is
 *   bound to who started it (a dashboard session's browser or the API token) and works once,
 *   before it expires.
 */
export class ConnectedAccounts1764510000000 implements MigrationInterface {
  name = 'ConnectedAccounts1764510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts ADD COLUMN connection text NOT NULL DEFAULT 'key' CHECK (connection IN ('key', 'connect'))`);
    await q.query(`ALTER TABLE accounts ADD COLUMN platform_account_id text CHECK (platform_account_id ~ '^acct_[A-Za-z0-9_]+$')`);
    await q.query(`ALTER TABLE accounts ADD COLUMN connect_scope text`);
    await q.query(`ALTER TABLE accounts ALTER COLUMN api_key_sealed DROP NOT NULL, ALTER COLUMN api_key_hint DROP NOT NULL`);
    await q.query(`
      ALTER TABLE accounts ADD CONSTRAINT accounts_connection_keys CHECK (
        (connection = 'key' AND api_key_sealed IS NOT NULL AND api_key_hint IS NOT NULL AND platform_account_id IS NULL)
        OR (connection = 'connect' AND api_key_sealed IS NULL AND api_key_hint IS NULL AND platform_account_id IS NOT NULL))`);
    await q.query(`
      CREATE TABLE connect_oauth_states (
        nonce_hash     text PRIMARY KEY,
        started_by     text NOT NULL CHECK (started_by IN ('session', 'api_token')),
        browser_hash   text,
        account_name   text,
        created_at     timestamptz NOT NULL DEFAULT now(),
        expires_at     timestamptz NOT NULL,
        used_at        timestamptz,
        CHECK ((started_by = 'session') = (browser_hash IS NOT NULL))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS connect_oauth_states`);
    await q.query(`DELETE FROM accounts WHERE connection = 'connect'`);
    await q.query(`ALTER TABLE accounts DROP CONSTRAINT IF EXISTS accounts_connection_keys`);
    await q.query(`ALTER TABLE accounts ALTER COLUMN api_key_sealed SET NOT NULL, ALTER COLUMN api_key_hint SET NOT NULL`);
    await q.query(`ALTER TABLE accounts DROP COLUMN connect_scope, DROP COLUMN platform_account_id, DROP COLUMN connection`);
  }
}
