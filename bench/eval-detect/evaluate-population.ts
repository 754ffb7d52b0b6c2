import { syncSeededLedger } from '../../src/demo/seeded-ledger';
import type { DataSource } from 'typeorm';
import type { DetectionConfig } from '../../src/risk/domain/detection-config';
import type { ClientHistory, InvoiceFact, RiskFlag } from '../../src/risk/domain/client-history';
import { daysLate, isDue } from '../../src/risk/domain/days-late';
import { latenessDistribution, predictInvoice, signedDaysLate, type LatenessDistribution } from '../../src/risk/domain/payment-prediction';
import { median } from '../../src/risk/domain/stats';
import { loadClientHistories } from '../../src/risk/persistence/client-history.loader';
import { RiskAssessmentService } from '../../src/risk/risk-assessment.service';
import { startSandboxSeededBy } from '../../src/sandbox/sandbox';
import { labelledSeeder, type LabelledBook, type LabelledClient, type LabelledPopulation } from '../../src/sandbox/scenario/labelled/labelled-population';
import { DAY_MS } from '../../src/common/time';

/**
 * The detection harness: a labelled population seeded into the sandbox, synced through the
 * official Stripe client like a real account, assessed by payrisk, and scored against the
 * personas' labels (flags), their true severity (score ranking) and the real payment dates
 * (predictions made on the day each invoice was issued).
 */
export const FLAGS: RiskFlag[] = ['chronic_late_payer', 'repeated_discount_demands', 'arrears', 'disputes', 'slipping'];

export interface PopulationSpec {
  randomSeed: number;
  noise: number;
  clients?: number;
  /** Which mix of personas (default `sandbox`); `receivables` is shaped like the held-out data. */
  book?: LabelledBook;
}

/** What the book looks like, to set it beside the held-out data's (a quarter late, median 0, a tail past 25 days). */
export interface BookShape {
  /** Paid invoices paid more than 3 days late. */
  lateShare: number;
  /** Median days late of paid invoices (the days late of architecture.md "Words": 0 when paid on time or early). */
  medianDaysLate: number;
  /** Paid invoices paid more than 25 days late. */
  over25Share: number;
  invoicesPerClient: { min: number; max: number };
  disputes: number;
}

export interface Agreement {
  truePositive: number;
  falsePositive: number;
  falseNegative: number;
  precision: number;
  recall: number;
}

export interface PredictionFigures {
  count: number;
  mae: number;
  bias: number;
  /** Mean signed error on invoices actually paid more than 3 days late (negative: predicted too early). */
  lateBias: number;
  /** Share of actual dates inside [earliest, latest]; null for a point baseline. */
  coverage: number | null;
}

export interface PopulationResult {
  spec: PopulationSpec;
  clients: number;
  invoices: number;
  lateInvoiceShare: number;
  shape: BookShape;
  flags: Record<RiskFlag, Agreement>;
  /**
   * chronic_late_payer against an accountant's reading of the synced ledger itself, not the
   * personas: at least 6 invoices due in the year, half or more of them more than 3 days
   * late, or a median above 10 days late (the check run on the held-out data).
   */
  accountantChronic: Agreement;
  /** The naive baseline: "any invoice more than grace days late in the lookback" as a chronic late payer flag. */
  naiveAnyLate: Agreement;
  /** Spearman's rank correlation of the score with the personas' true severity. */
  spearman: number;
  predictions: { payrisk: PredictionFigures; dueDate: PredictionFigures; customerAverage: PredictionFigures; hindsight: PredictionFigures };
  /**
   * Predictions for invoices already overdue: made 10 days after the due date for every
   * invoice still unpaid then, conditioned on that. `inThePast` counts predicted dates before
   * the day the prediction was made (must be 0).
   */
  overdue: PredictionFigures & { inThePast: number };
  /** Each disagreement with a label, for reading (never what the targets are computed from). */
  mistakes: string[];
}

const dayNumber = (date: Date | string) => Math.floor((typeof date === 'string' ? Date.parse(`${date}T00:00:00Z`) : date.getTime()) / DAY_MS);

export function agreement(labels: boolean[], found: boolean[]): Agreement {
  let truePositive = 0;
  let falsePositive = 0;
  let falseNegative = 0;
  labels.forEach((expected, i) => {
    if (expected && found[i]) truePositive += 1;
    if (!expected && found[i]) falsePositive += 1;
    if (expected && !found[i]) falseNegative += 1;
  });
  return {
    truePositive,
    falsePositive,
    falseNegative,
    precision: truePositive + falsePositive === 0 ? 1 : truePositive / (truePositive + falsePositive),
    recall: truePositive + falseNegative === 0 ? 1 : truePositive / (truePositive + falseNegative),
  };
}

/** Ranks with ties averaged, then Pearson on the ranks. */
export function spearman(xs: number[], ys: number[]): number {
  const ranks = (values: number[]) => {
    const order = values.map((value, i) => ({ value, i })).sort((a, b) => a.value - b.value);
    const out = new Array<number>(values.length);
    for (let start = 0; start < order.length;) {
      let end = start;
      while (end + 1 < order.length && order[end + 1].value === order[start].value) end += 1;
      for (let k = start; k <= end; k += 1) out[order[k].i] = (start + end) / 2 + 1;
      start = end + 1;
    }
    return out;
  };
  const rx = ranks(xs);
  const ry = ranks(ys);
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const mx = mean(rx);
  const my = mean(ry);
  let num = 0;
  let dx = 0;
  let dy = 0;
  rx.forEach((x, i) => {
    num += (x - mx) * (ry[i] - my);
    dx += (x - mx) ** 2;
    dy += (ry[i] - my) ** 2;
  });
  return dx === 0 || dy === 0 ? 0 : num / Math.sqrt(dx * dy);
}

/** The history as it stood at `at`: invoices issued before then, unpaid ones open, nothing that happened later. */
function historyAt(history: ClientHistory, at: Date): ClientHistory {
  return {
    ...history,
    invoices: history.invoices
      .filter((invoice) => invoice.createdAt < at)
      .map((invoice) =>
        invoice.status === 'paid' && invoice.paidAt && invoice.paidAt > at
          ? { ...invoice, status: 'open' as const, paidAt: null, amountRemaining: invoice.total }
          : invoice,
      ),
  };
}

/**
 * Predictions made on the day each invoice was issued, over the invoices issued in the last
 * year and paid by now (the first year builds the history), against the actual payment day.
 */
export function evaluatePredictions(histories: ClientHistory[], now: Date): PopulationResult['predictions'] {
  const paid = paidInvoices(histories);
  const bookAt = bookAsOf(paid);
  const errors = { payrisk: [] as number[], dueDate: [] as number[], customerAverage: [] as number[], hindsight: [] as number[] };
  const late = { payrisk: [] as number[], dueDate: [] as number[], customerAverage: [] as number[], hindsight: [] as number[] };
  const evaluated = paid.filter(({ invoice }) => invoice.createdAt.getTime() >= now.getTime() - 365 * DAY_MS);
  // Not a predictor: each client's median over the very invoices being predicted, known only
  // afterwards. The least error any one day per client can have, so the spread of the book itself.
  const hindsight = new Map<string, number>();
  for (const history of histories) {
    const own = evaluated.filter((entry) => entry.history === history).map(({ invoice }) => signedDaysLate(invoice));
    if (own.length > 0) hindsight.set(history.clientId, Math.floor(median(own)));
  }
  let covered = 0;
  for (const { history, invoice } of evaluated) {
    const at = invoice.createdAt;
    const before = historyAt(history, at);
    const asOpen: InvoiceFact = { ...invoice, status: 'open', paidAt: null, amountRemaining: invoice.total };
    const prediction = predictInvoice(asOpen, latenessDistribution(before, at, { book: bookAt(at) }), at);
    const actual = dayNumber(invoice.paidAt as Date);
    const due = dayNumber(invoice.dueAt as Date);
    const own = before.invoices.filter((other) => other.status === 'paid' && other.dueAt && other.paidAt).map(signedDaysLate);
    const average = own.length === 0 ? 0 : Math.round(own.reduce((s, d) => s + d, 0) / own.length);
    const isLate = signedDaysLate(invoice) > 3;
    const record = (key: keyof typeof errors, predicted: number) => {
      errors[key].push(predicted - actual);
      if (isLate) late[key].push(predicted - actual);
    };
    record('payrisk', dayNumber(prediction.expectedDate));
    record('dueDate', due);
    record('customerAverage', due + average);
    record('hindsight', due + (hindsight.get(history.clientId) as number));
    if (dayNumber(prediction.earliest) <= actual && actual <= dayNumber(prediction.latest)) covered += 1;
  }
  const figures = (key: keyof typeof errors, coverage: number | null): PredictionFigures => predictionFigures(errors[key], late[key], coverage);
  return {
    payrisk: figures('payrisk', errors.payrisk.length === 0 ? 0 : covered / errors.payrisk.length),
    dueDate: figures('dueDate', null),
    customerAverage: figures('customerAverage', null),
    hindsight: figures('hindsight', null),
  };
}

/** How many days after the due date an overdue invoice's prediction is made. */
const OVERDUE_AGE_DAYS = 10;

/**
 * Predictions for invoices still unpaid 10 days after their due date, made on that day
 * (the last year's invoices), against the actual payment day: the case where the
 * prediction must be conditioned on the invoice being unpaid at its age.
 */
export function evaluateOverduePredictions(histories: ClientHistory[], now: Date): PopulationResult['overdue'] {
  const paid = paidInvoices(histories);
  const bookAt = bookAsOf(paid);
  const errors: number[] = [];
  const late: number[] = [];
  let covered = 0;
  let inThePast = 0;
  for (const { history, invoice } of paid) {
    const dueMs = (invoice.dueAt as Date).getTime();
    const at = new Date(dueMs + OVERDUE_AGE_DAYS * DAY_MS);
    if (invoice.createdAt.getTime() < now.getTime() - 365 * DAY_MS || (invoice.paidAt as Date) <= at) continue;
    const asOpen: InvoiceFact = { ...invoice, status: 'open', paidAt: null, amountRemaining: invoice.total };
    const prediction = predictInvoice(asOpen, latenessDistribution(historyAt(history, at), at, { book: bookAt(at) }), at);
    const actual = dayNumber(invoice.paidAt as Date);
    if ([prediction.earliest, prediction.expectedDate, prediction.latest].some((date) => dayNumber(date) < dayNumber(at))) inThePast += 1;
    errors.push(dayNumber(prediction.expectedDate) - actual);
    late.push(dayNumber(prediction.expectedDate) - actual);
    if (dayNumber(prediction.earliest) <= actual && actual <= dayNumber(prediction.latest)) covered += 1;
  }
  return { ...predictionFigures(errors, late, errors.length === 0 ? 0 : covered / errors.length), inThePast };
}

function paidInvoices(histories: ClientHistory[]): Array<{ history: ClientHistory; invoice: InvoiceFact }> {
  return histories.flatMap((history) =>
    history.invoices.filter((invoice) => invoice.status === 'paid' && invoice.dueAt && invoice.paidAt).map((invoice) => ({ history, invoice })),
  );
}

/** The whole book's signed lateness over the year before a date, as detection would load it then (cached per week). */
function bookAsOf(paid: Array<{ invoice: InvoiceFact }>): (at: Date) => LatenessDistribution {
  const book = paid.map(({ invoice }) => ({ at: (invoice.paidAt as Date).getTime(), day: signedDaysLate(invoice) })).sort((a, b) => a.at - b.at);
  const cache = new Map<number, LatenessDistribution>();
  return (at: Date) => {
    const week = Math.floor(at.getTime() / (7 * DAY_MS));
    let cached = cache.get(week);
    if (!cached) {
      const counts = new Map<number, number>();
      const end = week * 7 * DAY_MS;
      for (const entry of book) if (entry.at < end && entry.at >= end - 365 * DAY_MS) counts.set(entry.day, (counts.get(entry.day) ?? 0) + 1);
      cached = [...counts].map(([day, weight]) => ({ day, weight }));
      cache.set(week, cached);
    }
    return cached;
  };
}

function predictionFigures(errors: number[], lateErrors: number[], coverage: number | null): PredictionFigures {
  const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((s, x) => s + x, 0) / values.length);
  return { count: errors.length, mae: mean(errors.map(Math.abs)), bias: mean(errors), lateBias: mean(lateErrors), coverage };
}

/** The accountant's reading of chronic lateness, from the ledger alone (see `PopulationResult.accountantChronic`). */
export function accountantSaysChronic(history: ClientHistory, now: Date, graceDays: number): boolean {
  const yearAgo = now.getTime() - 365 * DAY_MS;
  const lateness = history.invoices
    .filter((invoice) => isDue(invoice, now) && (invoice.dueAt as Date).getTime() >= yearAgo)
    .map((invoice) => daysLate(invoice, now));
  if (lateness.length < 6) return false;
  return lateness.filter((days) => days > graceDays).length * 2 >= lateness.length || median(lateness) > 10;
}

/** The book's shape, from the synced ledger. */
export function bookShape(histories: ClientHistory[]): BookShape {
  const paid = paidInvoices(histories).map(({ invoice }) => signedDaysLate(invoice));
  const counts = histories.map((history) => history.invoices.length);
  return {
    lateShare: paid.filter((days) => days > 3).length / Math.max(1, paid.length),
    medianDaysLate: median(paid.map((days) => Math.max(0, days))),
    over25Share: paid.filter((days) => days > 25).length / Math.max(1, paid.length),
    invoicesPerClient: { min: Math.min(...counts), max: Math.max(...counts) },
    disputes: histories.reduce((sum, history) => sum + history.disputes.length, 0),
  };
}

/** Seeds, syncs, assesses and scores one population on a fresh, migrated database. */
export async function evaluatePopulation(spec: PopulationSpec, dataSource: DataSource, cfg: DetectionConfig, now: Date): Promise<PopulationResult> {
  const population: LabelledPopulation = { clients: [], discountRequests: [] };
  const sandbox = await startSandboxSeededBy(labelledSeeder(population, spec.clients ?? 120, spec.book ?? 'sandbox'), {
    port: 0,
    randomSeed: spec.randomSeed,
    noise: spec.noise,
    now,
  });
  try {
    await syncSeededLedger(dataSource, sandbox, population.discountRequests);
    const service = new RiskAssessmentService(dataSource, cfg);
    await service.run(sandbox.now(), { full: true });
    const latest = new Map((await service.latest()).map((assessment) => [assessment.customerId, assessment]));
    const clients = population.clients;
    const histories = await loadClientHistories(
      dataSource,
      clients.map((client) => client.customerId),
      new Date(0),
    );
    const historyOf = new Map(histories.map((history) => [history.clientId, history]));

    const mistakes: string[] = [];
    const found = (client: LabelledClient, flag: RiskFlag) => latest.get(client.customerId)?.flags.includes(flag) ?? false;
    const flags = Object.fromEntries(
      FLAGS.map((flag) => {
        for (const client of clients) {
          const expected = client.expectedFlags.includes(flag);
          if (expected !== found(client, flag))
            mistakes.push(`${expected ? 'missed' : 'false'} ${flag}: ${client.name} — ${JSON.stringify(latest.get(client.customerId)?.reasons ?? {})}`);
        }
        return [
          flag,
          agreement(
            clients.map((client) => client.expectedFlags.includes(flag)),
            clients.map((client) => found(client, flag)),
          ),
        ];
      }),
    ) as Record<RiskFlag, Agreement>;
    const lookbackStart = sandbox.now().getTime() - cfg.lookbackDays * DAY_MS;
    const anyLate = (client: LabelledClient) =>
      (historyOf.get(client.customerId)?.invoices ?? []).some(
        (invoice) => invoice.dueAt && invoice.dueAt.getTime() >= lookbackStart && invoice.paidAt && signedDaysLate(invoice) > cfg.graceDays,
      );
    const shape = bookShape(histories);
    return {
      spec,
      clients: clients.length,
      invoices: histories.reduce((sum, history) => sum + history.invoices.length, 0),
      lateInvoiceShare: shape.lateShare,
      shape,
      flags,
      accountantChronic: agreement(
        clients.map((client) => accountantSaysChronic(historyOf.get(client.customerId) as ClientHistory, sandbox.now(), cfg.graceDays)),
        clients.map((client) => found(client, 'chronic_late_payer')),
      ),
      naiveAnyLate: agreement(
        clients.map((client) => client.expectedFlags.includes('chronic_late_payer')),
        clients.map(anyLate),
      ),
      spearman: spearman(
        clients.map((client) => latest.get(client.customerId)?.score ?? 0),
        clients.map((client) => client.severity),
      ),
      predictions: evaluatePredictions(histories, sandbox.now()),
      overdue: evaluateOverduePredictions(histories, sandbox.now()),
      mistakes,
    };
  } finally {
    await sandbox.stop();
  }
}
