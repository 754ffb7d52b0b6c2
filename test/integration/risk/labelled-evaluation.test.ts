import { evaluatePopulation, FLAGS, type PopulationResult } from '../../../bench/eval-detect/evaluate-population';
import { loadConfig } from '../../../src/config';
import { createTestDatabase } from '../../support/test-database';

/**
 * The detection targets, computed by the harness of `npm run eval:detect` on two labelled
 * populations synced through the sandbox (the cleanest and the noisiest): per-flag precision
 * and recall, the ranking against true severity, and predictions against the actual dates.
 */
const detection = loadConfig({}).policy.detection;
const NOW = new Date('2026-06-15T12:00:00Z');

describe.each([
  ['a population without noise', { randomSeed: 101, noise: 0 }],
  ['the noisiest population', { randomSeed: 404, noise: 0.45 }],
])('detection against labelled personas: %s', (_name, spec) => {
  let result: PopulationResult;

  beforeAll(async () => {
    const db = await createTestDatabase();
    try {
      result = await evaluatePopulation(spec, db.dataSource, detection, NOW);
    } finally {
      await db.drop();
    }
  }, 240_000);

  it('looks like a real book: about a fifth to a quarter of invoices paid more than 3 days late', () => {
    expect(result.clients).toBe(120);
    expect(result.lateInvoiceShare).toBeGreaterThan(0.15);
    expect(result.lateInvoiceShare).toBeLessThan(0.3);
  });

  it.each(FLAGS)('finds %s with precision and recall of at least 0.95', (flag) => {
    const agreement = result.flags[flag];
    expect(agreement.truePositive).toBeGreaterThanOrEqual(5);
    expect(agreement.precision).toBeGreaterThanOrEqual(0.95);
    expect(agreement.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('beats the naive "any late invoice" flag on precision', () => {
    expect(result.flags.chronic_late_payer.precision - result.naiveAnyLate.precision).toBeGreaterThan(0.4);
  });

  it('ranks clients by their true severity', () => {
    expect(result.spearman).toBeGreaterThanOrEqual(0.85);
  });

  it('predicts payment dates within 60 % of the due-date baseline’s error, with 80 % ranges covering 75–90 %', () => {
    const { payrisk, dueDate, customerAverage } = result.predictions;
    expect(payrisk.count).toBeGreaterThan(500);
    expect(payrisk.mae).toBeLessThanOrEqual(0.6 * dueDate.mae);
    expect(payrisk.mae).toBeLessThan(customerAverage.mae);
    expect(payrisk.coverage).toBeGreaterThanOrEqual(0.75);
    expect(payrisk.coverage).toBeLessThanOrEqual(0.9);
  });
});
