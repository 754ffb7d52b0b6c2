/**
 * The flag and level vocabulary (architecture.md "Words"), the one definition: the policy-file
 * schema, the risk domain's types, the API's zod schemas (and through the OpenAPI document the
 * dashboard's types), the emails' words and the database CHECKs on `risk_assessments` derive
 * from it; `test/integration/common/risk-vocabulary.test.ts` fails when the CHECKs drift.
 * Adding a word here needs a migration that updates those CHECKs.
 */

/** Stable names used by the CLI, the API, emails and tests. */
export const RISK_FLAGS = ['chronic_late_payer', 'repeated_discount_demands', 'arrears', 'disputes', 'slipping'] as const;
export type RiskFlag = (typeof RISK_FLAGS)[number];

/** Mildest first: a level's index is its rank. */
export const RISK_LEVELS = ['ok', 'watch', 'risky', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Worst first, the order owners read lists of levels in. */
export const RISK_LEVELS_WORST_FIRST: readonly RiskLevel[] = [...RISK_LEVELS].reverse();

export const levelRank = (level: RiskLevel): number => RISK_LEVELS.indexOf(level);

/** `levelRank` in SQL, for a column or expression holding a level (the migrations' level_rank columns hold the same numbers). */
export const sqlLevelRank = (expression: string): string =>
  `CASE ${expression} ${RISK_LEVELS.map((level, rank) => `WHEN '${level}' THEN ${rank}`).join(' ')} END`;

/** The heading of each flag in the owner's words, never the internal code. */
export const FLAG_WORDS: Record<RiskFlag, string> = {
  chronic_late_payer: 'Pays late as a habit',
  repeated_discount_demands: 'Keeps asking for discounts',
  arrears: 'Owes overdue money',
  disputes: 'Disputes payments',
  slipping: 'Paying later than before',
};
