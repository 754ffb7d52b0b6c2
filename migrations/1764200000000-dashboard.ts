import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard:
 * - `sign_in_codes`: one-time sign-in links (single use, 15 minutes); only a hash is kept.
 * - `web_sessions`: the owner's browser sessions (HttpOnly cookie + CSRF token); only the
 *   hash of the cookie value is kept. `stripe_account_id` is null until the account switcher
 *   lets a session choose one of several Stripe accounts.
 * - `client_risk_latest`: each client's latest assessment as plain sortable columns, kept by
 *   a statement-level trigger on `risk_assessments`, so the clients page sorts and filters
 *   50,000 clients without scanning the assessment history. `previous_level` /
 *   `level_changed_at` say when the level last moved ("this week's movers").
 * - `action_audit.actor` may be `dashboard`.
 */
/** Upserts each client's latest row of `source` (risk_assessments or the trigger's transition table). */
const latestUpsert = (source: string) => `
        INSERT INTO client_risk_latest AS l (client_id, assessment_id, assessed_at, score, level, level_rank, flags, arrears, arrears_sort,
                                             oldest_days_past_due, late_share, median_days_late, discount_share, predictions)
        SELECT DISTINCT ON (n.client_id) n.client_id, n.id, n.assessed_at, n.score, n.level,
               CASE n.level WHEN 'ok' THEN 0 WHEN 'watch' THEN 1 WHEN 'risky' THEN 2 ELSE 3 END, n.flags,
               coalesce(n.metrics->'arrears', '[]'::jsonb),
               (SELECT coalesce(sum((m->>'amount')::bigint), 0) FROM jsonb_array_elements(coalesce(n.metrics->'arrears', '[]'::jsonb)) m),
               coalesce((n.metrics->>'oldestArrearsDays')::int, 0), coalesce((n.metrics->>'lateShare')::numeric, 0),
               coalesce((n.metrics->>'medianDaysLate')::numeric, 0), coalesce((n.metrics->'discounts'->>'shareOfBilling')::numeric, 0),
               coalesce(n.predictions, '[]'::jsonb)
          FROM ${source} n
         ORDER BY n.client_id, n.assessed_at DESC, n.id
        ON CONFLICT (client_id) DO UPDATE SET
          assessment_id = excluded.assessment_id, assessed_at = excluded.assessed_at, score = excluded.score, level = excluded.level,
          level_rank = excluded.level_rank, flags = excluded.flags, arrears = excluded.arrears, arrears_sort = excluded.arrears_sort,
          oldest_days_past_due = excluded.oldest_days_past_due, late_share = excluded.late_share, median_days_late = excluded.median_days_late,
          discount_share = excluded.discount_share, predictions = excluded.predictions,
          previous_level = CASE WHEN l.level <> excluded.level THEN l.level ELSE l.previous_level END,
          level_changed_at = CASE WHEN l.level <> excluded.level THEN excluded.assessed_at ELSE l.level_changed_at END
         WHERE excluded.assessed_at >= l.assessed_at`;

export class Dashboard1764200000000 implements MigrationInterface {
  name = 'Dashboard1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sign_in_codes (
        code_hash   text PRIMARY KEY,
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz,
        requested_by text NOT NULL CHECK (requested_by IN ('start', 'cli', 'email', 'api'))
      )`);
    await q.query(`
      CREATE TABLE web_sessions (
        token_hash         text PRIMARY KEY,
        csrf_token         text NOT NULL,
        stripe_account_id  text,
        created_at         timestamptz NOT NULL DEFAULT now(),
        last_seen_at       timestamptz NOT NULL DEFAULT now(),
        expires_at         timestamptz NOT NULL,
        ended_at           timestamptz
      )`);
    await q.query(`CREATE INDEX web_sessions_expires_idx ON web_sessions (expires_at)`);

    await q.query(`
      CREATE TABLE client_risk_latest (
        client_id             text PRIMARY KEY,
        assessment_id         uuid NOT NULL,
        assessed_at           timestamptz NOT NULL,
        score                 integer NOT NULL,
        level                 text NOT NULL,
        level_rank            smallint NOT NULL,
        flags                 text[] NOT NULL,
        arrears               jsonb NOT NULL,
        arrears_sort          bigint NOT NULL,
        oldest_days_past_due  integer NOT NULL,
        late_share            numeric NOT NULL,
        median_days_late      numeric NOT NULL,
        discount_share        numeric NOT NULL,
        predictions           jsonb NOT NULL,
        previous_level        text,
        level_changed_at      timestamptz
      )`);
    await q.query(`CREATE INDEX client_risk_latest_score_idx ON client_risk_latest (score DESC, client_id)`);
    await q.query(`CREATE INDEX client_risk_latest_level_idx ON client_risk_latest (level, score DESC, client_id)`);
    await q.query(`CREATE INDEX client_risk_latest_flags_idx ON client_risk_latest USING gin (flags)`);
    await q.query(`CREATE INDEX client_risk_latest_changed_idx ON client_risk_latest (level_changed_at) WHERE level_changed_at IS NOT NULL`);
    await q.query(`CREATE INDEX clients_lower_name_idx ON clients (lower(name))`);
    await q.query(`
      CREATE FUNCTION client_risk_latest_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${latestUpsert('new_rows')};
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER risk_assessments_latest AFTER INSERT ON risk_assessments
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION client_risk_latest_refresh()`);
    // Assessments made before this migration (level changes before it are not known).
    await q.query(latestUpsert('risk_assessments'));

    await q.query(`ALTER TABLE action_audit DROP CONSTRAINT IF EXISTS action_audit_actor_check`);
    await q.query(`ALTER TABLE action_audit ADD CONSTRAINT action_audit_actor_check CHECK (actor IN ('system', 'owner_link', 'api', 'cli', 'dashboard'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE action_audit DROP CONSTRAINT IF EXISTS action_audit_actor_check`);
    await q.query(`ALTER TABLE action_audit ADD CONSTRAINT action_audit_actor_check CHECK (actor IN ('system', 'owner_link', 'api', 'cli'))`);
    await q.query(`DROP TRIGGER IF EXISTS risk_assessments_latest ON risk_assessments`);
    await q.query(`DROP FUNCTION IF EXISTS client_risk_latest_refresh()`);
    await q.query(`DROP TABLE IF EXISTS client_risk_latest`);
    await q.query(`DROP INDEX IF EXISTS clients_lower_name_idx`);
    await q.query(`DROP TABLE IF EXISTS web_sessions`);
    await q.query(`DROP TABLE IF EXISTS sign_in_codes`);
  }
}
