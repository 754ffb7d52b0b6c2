import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Isolation underneath (issue 18): row-level security on every table that holds one Stripe
 * account's data, for the role the application's connections use.
 *
 * - `payrisk_app`: NOLOGIN, NOSUPERUSER, NOBYPASSRLS, owning nothing, so row-level security
 *   always applies to it. Roles are cluster-wide: it is created when missing (a concurrent
 *   migration of another database creating it first is fine) and refused when someone gave it
 *   superuser or BYPASSRLS. The migrating user becomes a member, so its connections can
 *   `SET ROLE payrisk_app` (src/database/scoped-connections.ts). A user that may not create
 *   roles (nor join an existing one) gets a warning and keeps working as itself: a non-superuser
 *   owner is held by the forced policies too, it just could switch them off. It may read and write the
 *   tables of schema `payrisk` (and later ones, by default privileges), never `migrations`,
 *   and cannot TRUNCATE, ALTER or DROP anything.
 * - The tables tied to an account only through a client, an action or nothing
 *   (`action_audit`, `alert_watermarks`, `client_risk_latest`, `outbox_messages`,
 *   `dashboard_months`, `dashboard_month_figures`) get `stripe_account_id` (backfilled, NOT
 *   NULL): a column compared in place is cheaper than an EXISTS per row. It defaults to the
 *   account of the work writing the row (`payrisk.account_id`), so the writers need no change;
 *   a row of a client or an action takes that row's account (a trigger), so it is never filed
 *   under another account than what it is about.
 *   The outbox's dedupe key and the dashboard's month rows become unique per account.
 * - Every table with `stripe_account_id` except `accounts` (the registry of accounts itself)
 *   and `web_sessions` (a person's session, which chooses an account) gets
 *   `ENABLE` + `FORCE ROW LEVEL SECURITY` and one policy: a row is visible and writable only
 *   when its `stripe_account_id` is the connection's `payrisk.account_id`. With the setting
 *   empty nothing is visible and nothing can be written. FORCE holds the owner to it too,
 *   unless it is a superuser or has BYPASSRLS (as migrations and the test harness run).
 *
 * Must run before the connections switch to the role (the role does not exist until then),
 * hence as the migrating user, outside row-level security for the backfill below.
 */
export const APP_ROLE = 'payrisk_app';
export const ACCOUNT_SETTING = 'payrisk.account_id';

/** Tables that hold one account's data and carried `stripe_account_id` from the start. */
const ACCOUNT_TABLES = [
  'clients',
  'invoices',
  'credit_notes',
  'disputes',
  'discount_requests',
  'invoice_payments',
  'subscriptions',
  'processed_events',
  'sync_cursors',
  'webhook_inbox',
  'risk_assessments',
  'actions',
];

/** Tables tied to an account through another row: the column is added here. */
const DERIVED_TABLES = ['action_audit', 'alert_watermarks', 'client_risk_latest', 'outbox_messages', 'dashboard_months', 'dashboard_month_figures'];

const inScope = `stripe_account_id = current_setting('${ACCOUNT_SETTING}', true)`;
const scopedDefault = `nullif(current_setting('${ACCOUNT_SETTING}', true), '')`;

/** Rows that belong to another row: their account is that row's (outside any scope too, where the default is empty). */
const FROM_PARENT: Record<string, { parent: string; key: string; foreignKey: boolean }> = {
  action_audit: { parent: 'actions', key: 'action_id', foreignKey: true },
  alert_watermarks: { parent: 'clients', key: 'client_id', foreignKey: false },
  outbox_messages: { parent: 'clients', key: 'client_id', foreignKey: false },
};

/** The dashboard's latest-assessment trigger (migration 1764200000000), carrying the account (or, for `down`, as it was). */
const latestUpsert = (withAccount: boolean) => `
        INSERT INTO client_risk_latest AS l (${withAccount ? 'stripe_account_id, ' : ''}client_id, assessment_id, assessed_at, score, level, level_rank, flags, arrears, arrears_sort,
                                             oldest_days_past_due, late_share, median_days_late, discount_share, predictions)
        SELECT DISTINCT ON (n.client_id) ${withAccount ? 'n.stripe_account_id, ' : ''}n.client_id, n.id, n.assessed_at, n.score, n.level,
               CASE n.level WHEN 'ok' THEN 0 WHEN 'watch' THEN 1 WHEN 'risky' THEN 2 ELSE 3 END, n.flags,
               coalesce(n.metrics->'arrears', '[]'::jsonb),
               (SELECT coalesce(sum((m->>'amount')::bigint), 0) FROM jsonb_array_elements(coalesce(n.metrics->'arrears', '[]'::jsonb)) m),
               coalesce((n.metrics->>'oldestArrearsDays')::int, 0), coalesce((n.metrics->>'lateShare')::numeric, 0),
               coalesce((n.metrics->>'medianDaysLate')::numeric, 0), coalesce((n.metrics->'discounts'->>'shareOfBilling')::numeric, 0),
               coalesce(n.predictions, '[]'::jsonb)
          FROM new_rows n
         ORDER BY n.client_id, n.assessed_at DESC, n.id
        ON CONFLICT (client_id) DO UPDATE SET
          assessment_id = excluded.assessment_id, assessed_at = excluded.assessed_at, score = excluded.score, level = excluded.level,
          level_rank = excluded.level_rank, flags = excluded.flags, arrears = excluded.arrears, arrears_sort = excluded.arrears_sort,
          oldest_days_past_due = excluded.oldest_days_past_due, late_share = excluded.late_share, median_days_late = excluded.median_days_late,
          discount_share = excluded.discount_share, predictions = excluded.predictions,
          previous_level = CASE WHEN l.level <> excluded.level THEN l.level ELSE l.previous_level END,
          level_changed_at = CASE WHEN l.level <> excluded.level THEN excluded.assessed_at ELSE l.level_changed_at END
         WHERE excluded.assessed_at >= l.assessed_at`;

export class RowLevelSecurity1764700000000 implements MigrationInterface {
  name = 'RowLevelSecurity1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await this.ensureRole(q);
    const [{ schema }]: { schema: string }[] = await q.query(`SELECT current_schema() AS schema`);
    const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

    // The account column where it was missing, backfilled from the row each belongs to.
    for (const table of ['action_audit', 'alert_watermarks', 'client_risk_latest', 'outbox_messages']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN stripe_account_id text`);
    }
    await q.query(`UPDATE action_audit au SET stripe_account_id = a.stripe_account_id FROM actions a WHERE a.id = au.action_id`);
    await q.query(`UPDATE alert_watermarks w SET stripe_account_id = c.stripe_account_id FROM clients c WHERE c.id = w.client_id`);
    await q.query(`UPDATE client_risk_latest l SET stripe_account_id = c.stripe_account_id FROM clients c WHERE c.id = l.client_id`);
    await q.query(`UPDATE outbox_messages m SET stripe_account_id = c.stripe_account_id FROM clients c WHERE c.id = m.client_id`);
    // Owner emails with no client (digests, sign-in links) were for the one account the ledger holds.
    await q.query(`
      UPDATE outbox_messages SET stripe_account_id = (SELECT min(stripe_account_id) FROM clients)
       WHERE stripe_account_id IS NULL AND (SELECT count(DISTINCT stripe_account_id) FROM clients) = 1`);
    // Rows whose account cannot be known (a watermark of a client gone, an email of an empty ledger) would be visible to no one.
    await q.query(`DELETE FROM alert_watermarks WHERE stripe_account_id IS NULL`);
    await q.query(`DELETE FROM client_risk_latest WHERE stripe_account_id IS NULL`);
    await q.query(`DELETE FROM outbox_messages WHERE stripe_account_id IS NULL`);
    for (const table of ['action_audit', 'alert_watermarks', 'client_risk_latest', 'outbox_messages']) {
      await q.query(`ALTER TABLE ${table} ALTER COLUMN stripe_account_id SET NOT NULL, ALTER COLUMN stripe_account_id SET DEFAULT ${scopedDefault}`);
    }
    await q.query(`ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_dedupe_key_key`);
    await q.query(`ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_account_dedupe_key UNIQUE (stripe_account_id, dedupe_key)`);
    await q.query(`CREATE INDEX action_audit_account_idx ON action_audit (stripe_account_id)`);
    await q.query(
      `CREATE INDEX outbox_messages_account_due_idx ON outbox_messages (stripe_account_id, next_attempt_at) WHERE status IN ('pending', 'sending')`,
    );

    // The dashboard's month figures are a cache recomputed on the next read: emptied, then keyed per account.
    await q.query(`TRUNCATE dashboard_month_figures, dashboard_months`);
    await q.query(`ALTER TABLE dashboard_month_figures DROP CONSTRAINT dashboard_month_figures_month_fkey, DROP CONSTRAINT dashboard_month_figures_pkey`);
    await q.query(`ALTER TABLE dashboard_months DROP CONSTRAINT dashboard_months_pkey`);
    for (const table of ['dashboard_months', 'dashboard_month_figures']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN stripe_account_id text NOT NULL DEFAULT ${scopedDefault}`);
    }
    await q.query(`ALTER TABLE dashboard_months ADD PRIMARY KEY (stripe_account_id, month)`);
    await q.query(`ALTER TABLE dashboard_month_figures ADD PRIMARY KEY (stripe_account_id, month, currency)`);
    await q.query(`
      ALTER TABLE dashboard_month_figures ADD CONSTRAINT dashboard_month_figures_month_fkey
        FOREIGN KEY (stripe_account_id, month) REFERENCES dashboard_months (stripe_account_id, month) ON DELETE CASCADE`);

    for (const [table, { parent, key, foreignKey }] of Object.entries(FROM_PARENT)) {
      // A row's account is its parent's, as far as the writer can see the parent (row-level
      // security applies here too): an audit row for another account's action is refused, not
      // filed under the writer's account. A parent unknown to a table without a foreign key
      // (an email about a client not synced yet) leaves the scope's account.
      const missing = foreignKey
        ? `RAISE foreign_key_violation USING MESSAGE = format('insert on table "${table}" violates foreign key: ${key} %s is not in "${parent}" of this account', NEW.${key});`
        : 'NULL;';
      await q.query(`
        CREATE FUNCTION ${table}_account_from_parent() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          parent_account text;
        BEGIN
          IF NEW.${key} IS NOT NULL THEN
            parent_account := (SELECT p.stripe_account_id FROM ${parent} p WHERE p.id = NEW.${key});
            IF parent_account IS NOT NULL THEN
              NEW.stripe_account_id := parent_account;
            ELSE
              ${missing}
            END IF;
          END IF;
          RETURN NEW;
        END $$`);
      await q.query(`CREATE TRIGGER ${table}_account BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table}_account_from_parent()`);
    }
    await this.refreshLatest(q, true);

    for (const table of [...ACCOUNT_TABLES, ...DERIVED_TABLES]) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`);
      await q.query(`DROP POLICY IF EXISTS account_isolation ON ${table}`);
      await q.query(`CREATE POLICY account_isolation ON ${table} USING (${inScope}) WITH CHECK (${inScope})`);
    }

    const [{ present }]: { present: boolean }[] = await q.query(`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS present`, [APP_ROLE]);
    if (!present) return; // no role could be made: the connections stay this user's (see ensureRole)
    await q.query(`GRANT USAGE ON SCHEMA ${ident(schema)} TO ${APP_ROLE}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${ident(schema)} TO ${APP_ROLE}`);
    await q.query(`REVOKE ALL ON migrations FROM ${APP_ROLE}`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${ident(schema)} TO ${APP_ROLE}`);
    // Tables of later migrations are reachable too; each must enable row-level security itself
    // (test/integration/accounts/isolation.test.ts fails for a table with stripe_account_id that does not).
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${ident(schema)} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${ident(schema)} GRANT USAGE, SELECT ON SEQUENCES TO ${APP_ROLE}`);
  }

  /** The role, cluster-wide: created when missing, refused when it could bypass row-level security; the migrating user may SET ROLE to it. */
  private async ensureRole(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          BEGIN
            CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
          EXCEPTION
            WHEN duplicate_object OR unique_violation THEN
              NULL; -- created by a migration of another database at the same moment
            WHEN insufficient_privilege THEN
              RAISE WARNING 'payrisk could not create role ${APP_ROLE} (this user may not create roles): it runs as this user, whom FORCE ROW LEVEL SECURITY holds too'
                USING HINT = 'For the full setup a DBA runs: CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS; GRANT ${APP_ROLE} TO ' || current_user;
              RETURN;
          END;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}' AND (rolsuper OR rolbypassrls)) THEN
          RAISE EXCEPTION 'role ${APP_ROLE} is a superuser or has BYPASSRLS, so row-level security would not hold it'
            USING HINT = 'ALTER ROLE ${APP_ROLE} NOSUPERUSER NOBYPASSRLS, then migrate again';
        END IF;
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
          BEGIN
            SET LOCAL ROLE ${APP_ROLE};
            RESET ROLE;
          EXCEPTION WHEN insufficient_privilege THEN
            BEGIN
              EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
            EXCEPTION
              WHEN unique_violation THEN
                NULL; -- granted by a concurrent migration of another database
              WHEN insufficient_privilege THEN
                RAISE WARNING 'payrisk could not make % a member of ${APP_ROLE}: it runs as %, whom FORCE ROW LEVEL SECURITY holds too', current_user, current_user
                  USING HINT = 'A DBA runs: GRANT ${APP_ROLE} TO ' || current_user;
            END;
          END;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    const [{ schema }]: { schema: string }[] = await q.query(`SELECT current_schema() AS schema`);
    const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
    for (const table of [...ACCOUNT_TABLES, ...DERIVED_TABLES]) {
      await q.query(`DROP POLICY IF EXISTS account_isolation ON ${table}`);
      await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY`);
    }
    // The role stays: it is cluster-wide and other databases' payrisk may use it.
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${ident(schema)} REVOKE ALL ON TABLES FROM ${APP_ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${ident(schema)} REVOKE ALL ON SEQUENCES FROM ${APP_ROLE}`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${ident(schema)} FROM ${APP_ROLE}`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${ident(schema)} FROM ${APP_ROLE}`);
    await q.query(`REVOKE USAGE ON SCHEMA ${ident(schema)} FROM ${APP_ROLE}`);
    for (const table of Object.keys(FROM_PARENT)) {
      await q.query(`DROP TRIGGER IF EXISTS ${table}_account ON ${table}`);
      await q.query(`DROP FUNCTION IF EXISTS ${table}_account_from_parent()`);
    }
    await q.query(`TRUNCATE dashboard_month_figures, dashboard_months`);
    await q.query(`ALTER TABLE dashboard_month_figures DROP CONSTRAINT dashboard_month_figures_month_fkey, DROP CONSTRAINT dashboard_month_figures_pkey`);
    await q.query(`ALTER TABLE dashboard_months DROP CONSTRAINT dashboard_months_pkey`);
    await q.query(`ALTER TABLE dashboard_month_figures DROP COLUMN stripe_account_id`);
    await q.query(`ALTER TABLE dashboard_months DROP COLUMN stripe_account_id`);
    await q.query(`ALTER TABLE dashboard_months ADD PRIMARY KEY (month)`);
    await q.query(`ALTER TABLE dashboard_month_figures ADD PRIMARY KEY (month, currency)`);
    await q.query(
      `ALTER TABLE dashboard_month_figures ADD CONSTRAINT dashboard_month_figures_month_fkey FOREIGN KEY (month) REFERENCES dashboard_months (month) ON DELETE CASCADE`,
    );
    await q.query(`ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_account_dedupe_key`);
    await q.query(`ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_dedupe_key_key UNIQUE (dedupe_key)`);
    await q.query(`DROP INDEX IF EXISTS outbox_messages_account_due_idx`);
    await q.query(`DROP INDEX IF EXISTS action_audit_account_idx`);
    await this.refreshLatest(q, false);
    for (const table of ['action_audit', 'alert_watermarks', 'client_risk_latest', 'outbox_messages']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN stripe_account_id`);
    }
  }

  private async refreshLatest(q: QueryRunner, withAccount: boolean): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION client_risk_latest_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${latestUpsert(withAccount)};
        RETURN NULL;
      END $$`);
  }
}
