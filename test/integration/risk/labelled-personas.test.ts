import { RISK_FLAGS } from '../../../src/common/vocabulary';
import { syncSeededLedger } from '../../../src/demo/seeded-ledger';
import { startSandbox, type PersonaLabel, type RiskFlag, type RunningSandbox } from '../../../src/sandbox';
import { loadConfig } from '../../../src/config';
import { RiskAssessmentService } from '../../../src/risk/risk-assessment.service';
import { createTestDatabase } from '../../support/test-database';

const detection = loadConfig({}).policy.detection;

/** Sync a persona population, log its off-Stripe haggling, assess it, and score each flag against the labels. */
async function assessPopulation(sandbox: RunningSandbox) {
  const db = await createTestDatabase();
  try {
    await syncSeededLedger(db.dataSource, sandbox, sandbox.discountRequests);
    const service = new RiskAssessmentService(db.dataSource, detection);
    await service.run(sandbox.now(), { full: true });
    const latest = await service.latest();
    return new Map(latest.map((assessment) => [assessment.customerId, assessment]));
  } finally {
    await db.drop();
  }
}

function precisionRecall(personas: PersonaLabel[], found: Map<string, { flags: string[] }>, flag: RiskFlag) {
  let truePositive = 0;
  let falsePositive = 0;
  let falseNegative = 0;
  for (const persona of personas) {
    const expected = persona.expectedFlags.includes(flag);
    const actual = found.get(persona.customerId)?.flags.includes(flag) ?? false;
    if (expected && actual) truePositive += 1;
    if (!expected && actual) falsePositive += 1;
    if (expected && !actual) falseNegative += 1;
  }
  const precision = truePositive + falsePositive === 0 ? 1 : truePositive / (truePositive + falsePositive);
  const recall = truePositive + falseNegative === 0 ? 1 : truePositive / (truePositive + falseNegative);
  return { precision, recall, support: truePositive + falseNegative };
}

describe.each([
  ['the demo population', { seed: 'demo' as const }],
  ['a second population with another seed and noisier behaviour', { seed: 'demo' as const, randomSeed: 7, noise: 0.3 }],
])('detection against persona labels: %s', (_name, options) => {
  let sandbox: RunningSandbox;
  let found: Map<string, { flags: string[]; level: string; reasons: Record<string, string> }>;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, ...options });
    found = (await assessPopulation(sandbox)) as never;
  }, 120_000);
  afterAll(() => sandbox.stop());

  it('assesses every persona', () => {
    expect(found.size).toBe(sandbox.personas.length);
  });

  it.each([...RISK_FLAGS])('finds %s with precision and recall of at least 0.95', (flag) => {
    const result = precisionRecall(sandbox.personas, found, flag);
    expect(result.support).toBeGreaterThan(0);
    expect(result.precision).toBeGreaterThanOrEqual(0.95);
    expect(result.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('never calls a punctual client with one unlucky late invoice a chronic late payer', () => {
    const unlucky = sandbox.personas.filter((persona) => persona.persona === 'unlucky_once');
    expect(unlucky.length).toBeGreaterThan(0);
    const calledChronic = unlucky.filter((persona) => found.get(persona.customerId)?.flags.includes('chronic_late_payer'));
    expect(calledChronic.map((persona) => persona.name)).toEqual([]);
  });

  it('leaves punctual clients ok', () => {
    const punctual = sandbox.personas.filter((persona) => persona.persona === 'punctual');
    expect(punctual.length).toBeGreaterThan(0);
    expect(punctual.map((persona) => found.get(persona.customerId)?.level)).toEqual(punctual.map(() => 'ok'));
  });

  it('explains each flag in plain words', () => {
    const flagged = [...found.values()].filter((assessment) => assessment.flags.length > 0);
    expect(flagged.length).toBeGreaterThan(0);
    const unexplained = flagged.flatMap((assessment) => assessment.flags.filter((flag) => !/\w+ \w+/.test(assessment.reasons[flag] ?? '')));
    expect(unexplained).toEqual([]);
  });
});
