import { evaluatePopulation, FLAGS, type PopulationResult, type PopulationSpec } from '../../../bench/eval-detect/evaluate-population';
import { loadConfig } from '../../../src/config';
import { createTestDatabase } from '../../support/test-database';

/**
 * The detection targets, computed by the harness of `npm run eval:detect` on labelled
 * populations synced through the sandbox: the cleanest and the noisiest sandbox-shaped
 * books, and one shaped like the held-out accounts-receivable data. Per-flag precision and
 * recall, chronic lateness against an accountant's reading of the ledger, the ranking
 * against true severity, and predictions against the actual payment dates.
 */
const detection = loadConfig({}).policy.detection;
const NOW = new Date('2026-06-15T12:00:00Z');

const POPULATIONS: Array<[string, PopulationSpec, { lateShare: [number, number] }]> = [
  ['a sandbox-shaped book without noise', { randomSeed: 101, noise: 0 }, { lateShare: [0.15, 0.3] }],
  ['the noisiest sandbox-shaped book', { randomSeed: 404, noise: 0.45 }, { lateShare: [0.15, 0.3] }],
  ['a book shaped like the held-out receivables data', { randomSeed: 505, noise: 0, clients: 100, book: 'receivables' }, { lateShare: [0.2, 0.3] }],
];

describe.each(POPULATIONS)('detection against labelled personas: %s', (_name, spec, expected) => {
  let result: PopulationResult;

  beforeAll(async () => {
    const db = await createTestDatabase();
    try {
      result = await evaluatePopulation(spec, db.dataSource, detection, NOW);
    } finally {
      await db.drop();
    }
  }, 240_000);

  it('looks like a real book: a fifth to a quarter of invoices late, a median of 0 days, a tail past 25 days, 10–30 invoices a client, disputes', () => {
    expect(result.clients).toBe(spec.clients ?? 120);
    expect(result.shape.lateShare).toBeGreaterThan(expected.lateShare[0]);
    expect(result.shape.lateShare).toBeLessThan(expected.lateShare[1]);
    expect(result.shape.medianDaysLate).toBe(0);
    expect(result.shape.over25Share).toBeGreaterThan(0.02);
    expect(result.shape.invoicesPerClient.min).toBeGreaterThanOrEqual(10);
    expect(result.shape.invoicesPerClient.max).toBeLessThanOrEqual(30);
    expect(result.shape.disputes).toBeGreaterThan(0);
  });

  it.each(FLAGS)('finds %s with precision and recall of at least 0.95', (flag) => {
    const agreement = result.flags[flag];
    expect(agreement.truePositive).toBeGreaterThanOrEqual(5);
    expect(agreement.precision).toBeGreaterThanOrEqual(0.95);
    expect(agreement.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('agrees with an accountant’s reading of chronic lateness (≥ 6 invoices in the year, half late or a median above 10 days) at 0.95 or better', () => {
    const agreement = result.accountantChronic;
    expect(agreement.truePositive).toBeGreaterThanOrEqual(5);
    expect(agreement.precision).toBeGreaterThanOrEqual(0.95);
    expect(agreement.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('beats the naive "any late invoice" flag on precision', () => {
    expect(result.flags.chronic_late_payer.precision - result.naiveAnyLate.precision).toBeGreaterThan(0.4);
  });

  it('ranks clients by their true severity (Spearman ≥ 0.85)', () => {
    expect(result.spearman).toBeGreaterThanOrEqual(0.85);
  });

  it('predicts payment dates within 4 days on average, 60 % of the due-date baseline’s error and better than the customer’s average delay, with 80 % ranges covering 75–90 %', () => {
    const { payrisk, dueDate, customerAverage } = result.predictions;
    expect(payrisk.count).toBeGreaterThan(500);
    expect(payrisk.mae).toBeLessThanOrEqual(4);
    expect(payrisk.mae / dueDate.mae).toBeLessThanOrEqual(0.6);
    expect(payrisk.mae).toBeLessThan(customerAverage.mae);
    expect(payrisk.coverage).toBeGreaterThanOrEqual(0.75);
    expect(payrisk.coverage).toBeLessThanOrEqual(0.9);
  });

  it('predicts overdue invoices from their age: never a date before the day of the prediction, closer than the issue-day figure of the due-date baseline, with 80 % ranges covering 75–90 %', () => {
    const { overdue, predictions } = result;
    expect(overdue.count).toBeGreaterThan(100);
    expect(overdue.inThePast).toBe(0);
    expect(overdue.mae).toBeLessThan(predictions.dueDate.mae);
    expect(overdue.coverage).toBeGreaterThanOrEqual(0.75);
    expect(overdue.coverage).toBeLessThanOrEqual(0.9);
  });
});
