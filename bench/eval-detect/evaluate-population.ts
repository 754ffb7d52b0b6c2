import type { DataSource } from 'typeorm';
import type { DetectionConfig } from '../../src/risk/domain/detection-config';
import type { ClientHistory, InvoiceFact, RiskFlag } from '../../src/risk/domain/client-history';
import { latenessDistribution, predictInvoice, signedDaysLate, type LatenessDistribution } from '../../src/risk/domain/payment-prediction';
import { DiscountRequestService } from '../../src/risk/discount-request.service';
import { loadClientHistories } from '../../src/risk/persistence/client-history.loader';
import { RiskAssessmentService } from '../../src/risk/risk-assessment.service';
import { startSandboxSeededBy } from '../../src/sandbox/sandbox';
import { labelledSeeder, type LabelledClient, type LabelledPopulation } from '../../src/sandbox/scenario/labelled/labelled-population';
import { createStripeClient } from '../../src/stripe/stripe-client.factory';
import { StripeSyncService } from '../../src/stripe/sync/stripe-sync.service';
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
  flags: Record<RiskFlag, Agreement>;
  /** The naive baseline: "any invoice more than grace days late in the lookback" as a chronic late payer flag. */
  naiveAnyLate: Agreement;
  /** Spearman's rank correlation of the score with the personas' true severity. */
  spearman: number;
  predictions: { payrisk: PredictionFigures; dueDate: PredictionFigures; customerAverage: PredictionFigures };
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
  const paid = histories.flatMap((history) =>
    history.invoices.filter((invoice) => invoice.status === 'paid' && invoice.dueAt && invoice.paidAt).map((invoice) => ({ history, invoice })),
  );
  const book = paid.map(({ invoice }) => ({ at: (invoice.paidAt as Date).getTime(), day: signedDaysLate(invoice) })).sort((a, b) => a.at - b.at);
  const bookCache = new Map<number, LatenessDistribution>();
  const bookAt = (at: Date): LatenessDistribution => {
    const week = Math.floor(at.getTime() / (7 * DAY_MS));
    let cached = bookCache.get(week);
    if (!cached) {
      const counts = new Map<number, number>();
      const end = week * 7 * DAY_MS;
      for (const entry of book) if (entry.at < end && entry.at >= end - 365 * DAY_MS) counts.set(entry.day, (counts.get(entry.day) ?? 0) + 1);
      cached = [...counts].map(([day, weight]) => ({ day, weight }));
      bookCache.set(week, cached);
    }
    return cached;
  };
  const errors = { payrisk: [] as number[], dueDate: [] as number[], customerAverage: [] as number[] };
  const late = { payrisk: [] as number[], dueDate: [] as number[], customerAverage: [] as number[] };
  let covered = 0;
  for (const { history, invoice } of paid) {
    if (invoice.createdAt.getTime() < now.getTime() - 365 * DAY_MS) continue;
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
    if (dayNumber(prediction.earliest) <= actual && actual <= dayNumber(prediction.latest)) covered += 1;
  }
  const figures = (key: keyof typeof errors, coverage: number | null): PredictionFigures => {
    const list = errors[key];
    const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((s, x) => s + x, 0) / values.length);
    return { count: list.length, mae: mean(list.map(Math.abs)), bias: mean(list), lateBias: mean(late[key]), coverage };
  };
  return {
    payrisk: figures('payrisk', errors.payrisk.length === 0 ? 0 : covered / errors.payrisk.length),
    dueDate: figures('dueDate', null),
    customerAverage: figures('customerAverage', null),
  };
}

/** Seeds, syncs, assesses and scores one population on a fresh, migrated database. */
export async function evaluatePopulation(spec: PopulationSpec, dataSource: DataSource, cfg: DetectionConfig, now: Date): Promise<PopulationResult> {
  const population: LabelledPopulation = { clients: [], discountRequests: [] };
  const sandbox = await startSandboxSeededBy(labelledSeeder(population, spec.clients ?? 120), { port: 0, randomSeed: spec.randomSeed, noise: spec.noise, now });
  try {
    const stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url });
    await new StripeSyncService(dataSource, stripe, sandbox.accountId).backfill();
    const requests = new DiscountRequestService(dataSource);
    for (const request of population.discountRequests) {
      await requests.add(
        request.customerId,
        { amount: request.amount, currency: request.currency, note: request.note, requestedAt: request.requestedAt.toISOString() },
        'api',
        sandbox.now(),
      );
    }
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
    const dueInvoices = histories.flatMap((history) => history.invoices.filter((invoice) => invoice.status === 'paid' && invoice.dueAt && invoice.paidAt));
    return {
      spec,
      clients: clients.length,
      invoices: histories.reduce((sum, history) => sum + history.invoices.length, 0),
      lateInvoiceShare: dueInvoices.filter((invoice) => signedDaysLate(invoice) > 3).length / Math.max(1, dueInvoices.length),
      flags,
      naiveAnyLate: agreement(
        clients.map((client) => client.expectedFlags.includes('chronic_late_payer')),
        clients.map(anyLate),
      ),
      spearman: spearman(
        clients.map((client) => latest.get(client.customerId)?.score ?? 0),
        clients.map((client) => client.severity),
      ),
      predictions: evaluatePredictions(histories, sandbox.now()),
      mistakes,
    };
  } finally {
    await sandbox.stop();
  }
}
