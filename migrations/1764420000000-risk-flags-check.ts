import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `risk_assessments.flags` holds only words of the flag vocabulary (src/common/vocabulary), as
 * `level` already holds only its levels. The lists are written out here because a migration is
 * history; test/integration/common/risk-vocabulary.test.ts fails when they and the vocabulary differ,
 * and a changed vocabulary comes with a migration that replaces these CHECKs.
 */
export class RiskFlagsCheck1764420000000 implements MigrationInterface {
  name = 'RiskFlagsCheck1764420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE risk_assessments ADD CONSTRAINT risk_assessments_flags_check
         CHECK (flags <@ ARRAY['chronic_late_payer', 'repeated_discount_demands', 'arrears', 'disputes', 'slipping']::text[])`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE risk_assessments DROP CONSTRAINT IF EXISTS risk_assessments_flags_check`);
  }
}
