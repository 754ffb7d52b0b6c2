import { levelRank, RISK_FLAGS, RISK_LEVELS, sqlLevelRank } from '../../../src/common/vocabulary';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

/** The database's CHECKs on risk_assessments hold exactly the vocabulary the code uses (src/common/vocabulary). */
describe('risk vocabulary in the database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  const checkWords = async (column: string): Promise<string[]> => {
    const rows = (await db.dataSource.query(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE conrelid = 'payrisk.risk_assessments'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) ~ ('\\m' || $1 || '\\M')`,
      [column],
    )) as { def: string }[];
    expect(rows).toHaveLength(1);
    return [...rows[0].def.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]).sort();
  };

  it('the level CHECK lists exactly RISK_LEVELS', async () => {
    expect(await checkWords('level')).toEqual([...RISK_LEVELS].sort());
  });

  it('the flags CHECK lists exactly RISK_FLAGS, and refuses any other word', async () => {
    expect(await checkWords('flags')).toEqual([...RISK_FLAGS].sort());
    const insert = (flags: string[]) =>
      db.dataSource.query(
        `INSERT INTO risk_assessments (run_id, client_id, stripe_account_id, assessed_at, score, level, flags, metrics, evidence, reasons)
         VALUES (gen_random_uuid(), 'cus_v', 'acct_v', now(), 10, 'watch', $1::text[], '{}', '{}', '{}')`,
        [flags],
      );
    await insert([...RISK_FLAGS]);
    await expect(insert(['late_payer'])).rejects.toThrow(/risk_assessments_flags_check/);
  });

  it("the dashboard trigger's level_rank and sqlLevelRank rank each level as levelRank does", async () => {
    for (const level of RISK_LEVELS) {
      const client = `cus_rank_${level}`;
      await db.dataSource.query(
        `INSERT INTO risk_assessments (run_id, client_id, stripe_account_id, assessed_at, score, level, flags, metrics, evidence, reasons)
         VALUES (gen_random_uuid(), $1, 'acct_v', now(), 10, $2, '{}', '{}', '{}', '{}')`,
        [client, level],
      );
      const [row] = (await db.dataSource.query(`SELECT level_rank, ${sqlLevelRank('level')} AS sql_rank FROM client_risk_latest WHERE client_id = $1`, [
        client,
      ])) as {
        level_rank: number;
        sql_rank: number;
      }[];
      expect({ level, trigger: row.level_rank, sql: row.sql_rank }).toEqual({ level, trigger: levelRank(level), sql: levelRank(level) });
    }
  });
});
