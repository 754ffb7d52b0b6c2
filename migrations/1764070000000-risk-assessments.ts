import { MigrationInterface, QueryRunner } from 'typeorm';

/** Risk assessments kept as history: "newly flagged", "level went up" and trends are queries. */
export class RiskAssessments1764070000000 implements MigrationInterface {
  name = 'RiskAssessments1764070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE risk_assessments (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id             uuid NOT NULL,
        client_id          text NOT NULL,
        stripe_account_id  text NOT NULL,
        assessed_at        timestamptz NOT NULL,
        score              integer NOT NULL CHECK (score BETWEEN 0 AND 100),
        level              text NOT NULL CHECK (level IN ('ok', 'watch', 'risky', 'critical')),
        flags              text[] NOT NULL DEFAULT '{}',
        metrics            jsonb NOT NULL,
        evidence           jsonb NOT NULL,
        reasons            jsonb NOT NULL,
        factors            jsonb NOT NULL DEFAULT '{}',
        predictions        jsonb NOT NULL DEFAULT '[]'
      )`);
    await q.query(`CREATE INDEX risk_assessments_client_time_idx ON risk_assessments (client_id, assessed_at DESC)`);
    await q.query(`CREATE INDEX risk_assessments_run_idx ON risk_assessments (run_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS risk_assessments`);
  }
}
