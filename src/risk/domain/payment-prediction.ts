import type { Money } from '../../common/money';
import { money } from '../../common/money';
import type { ClientHistory, InvoiceFact } from './client-history';
import { iso, plural, shortDate } from './plain-words';
import { median } from './stats';
import { DAY_MS } from '../../common/time';

export interface PaymentPrediction {
  invoiceId: string;
  amount: Money;
  dueDate: string;
  /** The median of the predicted payment date. */
  expectedDate: string;
  /** With `latest`, an 80 % interval: 10 % of payments come earlier, 10 % later. */
  earliest: string;
  latest: string;
  /** How many of the client's own paid invoices the prediction rests on. */
  basedOn: number;
  /** One sentence the owner can check. */
  explanation: string;
}

/** Signed days late (paid − due, floored to whole days; negative when early) with weights. */
export type LatenessDistribution = Array<{ day: number; weight: number }>;

export interface PredictionOptions {
  /** The whole book's signed days late: what a client with little history is shrunk towards. */
  book?: LatenessDistribution;
}

/** A paid invoice this old counts half as much as one paid today. */
const HALF_LIFE_DAYS = 180;
/** How many invoices' worth the book weighs against the client's own (recency-weighted) history. */
const PRIOR_WEIGHT = 1.5;
/** Signed lateness is kept within this range: a year-late payment says "very late", not its exact day. */
const MIN_DAY = -90;
const MAX_DAY = 400;

/**
 * A stand-in for the book when none is known (a pure call, an empty ledger): most invoices
 * paid within a few days of the due date, a quarter late, a thin tail past a month.
 */
const DEFAULT_BOOK: LatenessDistribution = [
  ...[-7, -5, -3, -2, -1, 0].map((day) => ({ day, weight: 0.5 / 6 })),
  ...[1, 2, 3, 5, 7].map((day) => ({ day, weight: 0.25 / 5 })),
  ...[10, 14, 20, 25, 30].map((day) => ({ day, weight: 0.18 / 5 })),
  ...[45, 60, 90].map((day) => ({ day, weight: 0.07 / 3 })),
];

const clampDay = (day: number) => Math.min(MAX_DAY, Math.max(MIN_DAY, day));
export const signedDaysLate = (invoice: InvoiceFact): number =>
  clampDay(Math.floor(((invoice.paidAt as Date).getTime() - (invoice.dueAt as Date).getTime()) / DAY_MS));

/** Weights per whole day from MIN_DAY to MAX_DAY: a dense array, so a prediction is a few hundred additions, not a sort. */
type Bins = Float64Array;
const BINS = MAX_DAY - MIN_DAY + 1;

const prepared = new WeakMap<LatenessDistribution, Bins>();
/** The book as PRIOR_WEIGHT invoices' worth of bins, computed once per book. */
function bookBins(book: LatenessDistribution): Bins {
  let bins = prepared.get(book);
  if (bins) return bins;
  bins = new Float64Array(BINS);
  let total = 0;
  for (const point of book) total += point.weight;
  for (const point of book) bins[clampDay(point.day) - MIN_DAY] += total > 0 ? (point.weight / total) * PRIOR_WEIGHT : 0;
  prepared.set(book, bins);
  return bins;
}

export interface LatenessBasis {
  /** The book, shared by every client: PRIOR_WEIGHT invoices' worth. */
  book: Bins;
  /** The client's own weights from day `offset` on (a short window around its history). */
  own: Float64Array;
  offset: number;
  basedOn: number;
  ownDays: number[];
}

/**
 * The mixture of the client's own paid invoices known at `now` (recency-weighted, each
 * spread over nearby days so few samples never look certain, weighing as many invoices as
 * it has) and the book (PRIOR_WEIGHT invoices' worth): shrinkage towards the book.
 */
export function latenessDistribution(history: ClientHistory, now: Date, options: PredictionOptions = {}): LatenessBasis {
  const book = bookBins(options.book && options.book.length > 0 ? options.book : DEFAULT_BOOK);
  const ownDays: number[] = [];
  const weights: number[] = [];
  let weight = 0;
  let low = MAX_DAY;
  let high = MIN_DAY;
  for (const invoice of history.invoices) {
    if (invoice.status !== 'paid' || !invoice.dueAt || !invoice.paidAt || invoice.paidAt > now) continue;
    const w = Math.pow(0.5, (now.getTime() - invoice.paidAt.getTime()) / DAY_MS / HALF_LIFE_DAYS);
    const day = signedDaysLate(invoice);
    const spread = spreadOf(day);
    low = Math.min(low, clampDay(day - spread));
    high = Math.max(high, clampDay(day + spread));
    ownDays.push(day);
    weights.push(w);
    weight += w;
  }
  if (ownDays.length === 0) return { book, own: new Float64Array(0), offset: 0, basedOn: 0, ownDays };
  const own = new Float64Array(high - low + 1);
  // Recency shapes the client's distribution; how much it weighs against the book is its number of invoices.
  const scale = ownDays.length / weight;
  ownDays.forEach((day, i) => {
    const spread = spreadOf(day);
    const share = (weights[i] * scale) / (2 * spread + 1);
    for (let k = -spread; k <= spread; k += 1) own[clampDay(day + k) - low] += share;
  });
  return { book, own, offset: low - MIN_DAY, basedOn: ownDays.length, ownDays };
}

/** How far one payment's day is smeared: a tenth of its distance from the due date either side. */
const spreadOf = (day: number) => Math.round(Math.abs(day) * 0.1);

/**
 * Quantiles (in days after due, fractional) of the payment day given the invoice is still
 * unpaid `ageDays` after its due date: mass before then is gone, the day in progress keeps
 * its remaining part, each day's mass spread evenly over it. When nothing known reaches
 * that far, a heavy tail stands in: the longer unpaid, the longer to wait.
 */
function conditionedQuantiles(basis: LatenessBasis, ageDays: number, qs: number[]): number[] {
  const { book, own, offset } = basis;
  const first = Math.max(0, Math.floor(ageDays) - MIN_DAY);
  const mass = (i: number) => {
    const j = i - offset;
    const weight = book[i] + (j >= 0 && j < own.length ? own[j] : 0);
    const day = i + MIN_DAY;
    return day >= ageDays ? weight : weight * Math.max(0, day + 1 - ageDays);
  };
  let total = PRIOR_WEIGHT + basis.basedOn;
  let left = 0;
  for (let i = first; i < BINS; i += 1) left += mass(i);
  if (left < total * 0.01 || left <= 0) {
    const age = Math.max(1, ageDays);
    // Residual wait 10 %, 50 %, 90 %: a tenth, a half and twice the age so far (at least 2 days).
    return qs.map((q) => age + Math.max(2, age * (q <= 0.1 ? 0.1 : q >= 0.9 ? 2 : 0.5)));
  }
  total = left;
  const out: number[] = [];
  let seen = 0;
  let q = 0;
  for (let i = first; i < BINS && q < qs.length; i += 1) {
    const m = mass(i);
    if (m <= 0) continue;
    while (q < qs.length && seen + m >= qs[q] * total) {
      const day = i + MIN_DAY;
      const start = Math.max(day, ageDays);
      out.push(start + ((qs[q] * total - seen) / m) * (day + 1 - start));
      q += 1;
    }
    seen += m;
  }
  while (out.length < qs.length) out.push(MAX_DAY + 1);
  return out;
}

/** One open invoice's prediction at `now` from a client's lateness distribution. */
export function predictInvoice(invoice: InvoiceFact, basis: LatenessBasis, now: Date): PaymentPrediction {
  const due = invoice.dueAt as Date;
  const ageDays = (now.getTime() - due.getTime()) / DAY_MS;
  const [low, mid, high] = conditionedQuantiles(basis, ageDays, [0.1, 0.5, 0.9]);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const at = (days: number) => new Date(Math.max(today, due.getTime() + Math.floor(days) * DAY_MS));
  const expected = at(mid);
  const earliest = at(low);
  const latest = at(Math.max(high, mid));
  const when = (date: Date) => shortDate(date, now);
  const habit =
    basis.basedOn === 0
      ? 'no paid invoice of its own yet, so your other clients’ habits decide'
      : `paid ${basis.basedOn === 1 ? 'its one invoice' : `its ${plural(basis.basedOn, 'invoice')}`} ${describeMedian(median(basis.ownDays))}${basis.basedOn < 5 ? ', shrunk towards your other clients’ habits' : ''}`;
  const overdue = ageDays >= 1 ? `; still unpaid ${plural(Math.floor(ageDays), 'day')} after the due date, so only later days remain` : '';
  return {
    invoiceId: invoice.id,
    amount: money(invoice.amountRemaining, invoice.currency),
    dueDate: iso(due),
    expectedDate: iso(expected),
    earliest: iso(earliest),
    latest: iso(latest),
    basedOn: basis.basedOn,
    explanation: `Expected ${when(expected)} (8 in 10 between ${when(earliest)} and ${when(latest)}): ${habit}${overdue}.`,
  };
}

function describeMedian(days: number): string {
  const rounded = Math.round(days);
  if (rounded === 0) return 'on the due date on median';
  return rounded > 0 ? `${plural(rounded, 'day')} after the due date on median` : `${plural(-rounded, 'day')} before the due date on median`;
}

/**
 * When each open invoice will probably be paid: from the client's own signed lateness,
 * recency-weighted and shrunk towards the whole book's when the client has few invoices,
 * conditioned on the invoice still being unpaid today. `expectedDate` is the median, the
 * range an 80 % interval; no date is ever in the past. Earliest due first.
 */
export function predictPayments(history: ClientHistory, now: Date, options: PredictionOptions = {}): PaymentPrediction[] {
  const open = history.invoices
    .filter((invoice) => invoice.status === 'open' && invoice.dueAt && invoice.amountRemaining > 0)
    .sort((a, b) => (a.dueAt as Date).getTime() - (b.dueAt as Date).getTime() || a.id.localeCompare(b.id));
  if (open.length === 0) return [];
  const basis = latenessDistribution(history, now, options);
  return open.map((invoice) => predictInvoice(invoice, basis, now));
}
