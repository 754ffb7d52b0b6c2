import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { migrateDatabase } from '../src/database/migrate';
import { openBenchDatabase } from './bench-database';
import { evaluatePopulation, FLAGS, type PopulationResult, type PopulationSpec } from './eval-detect/evaluate-population';

/**
 * `npm run eval:detect`: labelled populations from several seeds and noise levels, each
 * synced through the sandbox into its own database and assessed; prints precision and
 * recall per flag, the rank correlation of score with true severity, and prediction error
 * and interval coverage next to three baselines. The targets are checked at the end.
 */
const POPULATIONS: PopulationSpec[] = [
  { randomSeed: 101, noise: 0 },
  { randomSeed: 202, noise: 0.15 },
  { randomSeed: 303, noise: 0.3 },
  { randomSeed: 404, noise: 0.45 },
  // Shaped like the held-out accounts-receivable data: 100 customers, a quarter of invoices paid more than 3 days late.
  { randomSeed: 505, noise: 0, clients: 100, book: 'receivables' },
  { randomSeed: 606, noise: 0.25, clients: 100, book: 'receivables' },
  { randomSeed: 707, noise: 0.45, clients: 100, book: 'receivables' },
  // One more, never used while choosing the estimator's constants: a check against fitting the three above.
  { randomSeed: 818, noise: 0.2, clients: 100, book: 'receivables' },
  // Fresh seeds, added after the constants were chosen and never tuned on: how far the figures above
  // hold on books nobody looked at (the noisiest sandbox-shaped ones are the hardest).
  { randomSeed: 111, noise: 0.45 },
  { randomSeed: 222, noise: 0.45 },
  { randomSeed: 333, noise: 0.3 },
  { randomSeed: 444, noise: 0.45, clients: 100, book: 'receivables' },
];
const NOW = new Date('2026-06-15T12:00:00Z');
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const days = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} d`;

function print(result: PopulationResult): void {
  const { spec } = result;
  const shape = result.shape;
  console.log(
    `\npopulation ${spec.book ?? 'sandbox'} seed ${spec.randomSeed}, noise ${spec.noise}: ${result.clients} clients, ${result.invoices} invoices ` +
      `(${shape.invoicesPerClient.min}–${shape.invoicesPerClient.max} per client), ${shape.disputes} disputes; paid invoices: ${pct(shape.lateShare)} more than 3 days late, ` +
      `${pct(shape.over25Share)} more than 25, median ${days(shape.medianDaysLate)}`,
  );
  for (const flag of FLAGS) {
    const a = result.flags[flag];
    console.log(
      `  ${flag.padEnd(26)} precision ${a.precision.toFixed(3)}  recall ${a.recall.toFixed(3)}  (tp ${a.truePositive}, fp ${a.falsePositive}, fn ${a.falseNegative})`,
    );
  }
  const naive = result.naiveAnyLate;
  console.log(
    `  ${'baseline "any late invoice"'.padEnd(26)} precision ${naive.precision.toFixed(3)}  recall ${naive.recall.toFixed(3)}  (as chronic_late_payer)`,
  );
  const accountant = result.accountantChronic;
  console.log(
    `  ${'chronic vs accountant'.padEnd(26)} precision ${accountant.precision.toFixed(3)}  recall ${accountant.recall.toFixed(3)}  (tp ${accountant.truePositive}, fp ${accountant.falsePositive}, fn ${accountant.falseNegative}; ≥ 6 due in the year, half late or median > 10 days)`,
  );
  console.log(`  score vs true severity: Spearman ${result.spearman.toFixed(3)}`);
  const p = result.predictions;
  const row = (name: string, f: PopulationResult['predictions']['payrisk']) =>
    console.log(
      `  ${name.padEnd(26)} MAE ${f.mae.toFixed(2)} d  bias ${days(f.bias)}  late payers ${days(f.lateBias)}  80 % range covers ${f.coverage === null ? 'n/a' : pct(f.coverage)}  (${f.count} invoices)`,
    );
  row('payrisk prediction', p.payrisk);
  row('baseline due date', p.dueDate);
  row('baseline customer average', p.customerAverage);
  row('hindsight client median', p.hindsight);
  row('overdue (10 days past due)', result.overdue);
  console.log(`  ${''.padEnd(26)} predicted dates before the day of the prediction: ${result.overdue.inThePast}`);
  for (const mistake of result.mistakes.slice(0, 8)) console.log(`    ${mistake}`);
}

async function main(): Promise<void> {
  const cfg = loadConfig({}).policy.detection;
  const results: PopulationResult[] = [];
  for (const spec of POPULATIONS) {
    const database = await openBenchDatabase('eval');
    const dataSource = new DataSource(dataSourceOptions(database.url));
    try {
      await dataSource.initialize();
      await migrateDatabase(dataSource);
      const result = await evaluatePopulation(spec, dataSource, cfg, NOW);
      results.push(result);
      print(result);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.close();
    }
  }
  const worst = Math.min(...results.flatMap((r) => FLAGS.flatMap((flag) => [r.flags[flag].precision, r.flags[flag].recall])));
  const accountant = Math.min(...results.flatMap((r) => [r.accountantChronic.precision, r.accountantChronic.recall]));
  const ratios = results.map((r) => r.predictions.payrisk.mae / r.predictions.dueDate.mae);
  const coverages = results.flatMap((r) => [r.predictions.payrisk.coverage ?? 0, r.overdue.coverage ?? 0]);
  const receivables = results.filter((r) => r.spec.book === 'receivables').map((r) => r.predictions.payrisk.mae);
  const floors = results.filter((r) => r.spec.book === 'receivables').map((r) => r.predictions.hindsight.mae);
  const inThePast = results.reduce((sum, r) => sum + r.overdue.inThePast, 0);
  const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');
  console.log('\ntargets');
  console.log(`  per flag precision and recall ≥ 0.95: worst ${worst.toFixed(3)} ${met(worst >= 0.95)}`);
  console.log(`  chronic_late_payer against the accountant's reading ≥ 0.95: worst ${accountant.toFixed(3)} ${met(accountant >= 0.95)}`);
  // The issue sets this target "on the harness" (the flags' "on every population"), so it is
  // judged on every prediction of the harness together; each book's ratio is printed beside it,
  // with hindsight's (the least error one day per client can have on that book).
  const errorSum = (key: 'payrisk' | 'dueDate') => results.reduce((sum, r) => sum + r.predictions[key].mae * r.predictions[key].count, 0);
  const pooled = errorSum('payrisk') / errorSum('dueDate');
  console.log(`  prediction MAE ≤ 60 % of the due-date baseline over the harness (aim ≤ 50 %): ${pct(pooled)} ${met(pooled <= 0.6)}`);
  const over = ratios.filter((r) => r > 0.6).length;
  console.log(`    per book: ${ratios.map(pct).join(', ')} (${over === 0 ? 'every book within 60 %' : `${over} of ${ratios.length} books above 60 %`})`);
  const floorRatios = results.map((r) => r.predictions.hindsight.mae / r.predictions.dueDate.mae);
  console.log(`    hindsight client median, the same ratio: ${floorRatios.map(pct).join(', ')}`);
  console.log(
    `  MAE ≤ 4 days on the receivables-shaped books (the stand-in for the held-out data): ${receivables.map((mae) => `${mae.toFixed(2)} d`).join(', ')} ${met(receivables.every((mae) => mae <= 4))}` +
      ` (hindsight client median, the least one day per client can err there: ${floors.map((mae) => `${mae.toFixed(2)} d`).join(', ')})`,
  );
  console.log(`  80 % ranges cover 75–90 % (on issue, then overdue): ${coverages.map(pct).join(', ')} ${met(coverages.every((c) => c >= 0.75 && c <= 0.9))}`);
  console.log(`  no predicted date in the past for an overdue invoice: ${inThePast} ${met(inThePast === 0)}`);
  console.log(`  Spearman of score with true severity: ${results.map((r) => r.spearman.toFixed(3)).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
