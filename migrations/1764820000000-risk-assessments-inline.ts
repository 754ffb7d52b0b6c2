import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Assessments are stored inline and uncompressed up to a full page (about 8 KB) instead of
 * being compressed from 2 KB on: a typical assessment is 1.5–4 KB of JSON, and compressing it
 * with pglz (the only method the embedded PostgreSQL has; no lz4) cost about a sixth of a full
 * run's PostgreSQL CPU (0.8 of 5 s storing 50,000 assessments, bench:detect). The price is
 * disk: about 40 % more per assessment (92 → 131 MB for 50,000). Larger rows are still
 * compressed and moved out of line as before.
 */
export class RiskAssessmentsInline1764820000000 implements MigrationInterface {
  name = 'RiskAssessmentsInline1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE risk_assessments SET (toast_tuple_target = 8160)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE risk_assessments RESET (toast_tuple_target)`);
  }
}
