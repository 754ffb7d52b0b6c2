import type { Money } from '../../common/money';
import { money } from '../../common/money';
import type { ClientHistory, InvoiceFact } from './client-history';
import { iso, plural, shortDate } from './plain-words';
import { median } from './stats';
import { DAY_MS, datesApart, daysPastDue, utcDateNumber } from '../../common/time';

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

/**
 * Signed days late as predictions count them: the payment's date minus the due date (UTC
 * calendar dates, negative when early), with weights. Predictions are dates, so lateness is
 * counted in dates too: whole 24-hour days would call a payment at 09:00 the day after a
 * 17:00 due moment "0 days" and predict the due date itself, a day early on every such invoice.
 */
export type LatenessDistribution = Array<{ day: number; weight: number }>;

export interface PredictionOptions {
  /** The whole book's signed days late: what a client with little history is shrunk towards. */
  book?: LatenessDistribution;
}

/** A paid invoice this old counts half as much as one paid today. */
const HALF_LIFE_DAYS = 180;
/**
 * How many invoices' worth the book weighs against the client's own history. Beyond an
 * overdue invoice's age the book's remaining part weighs PRIOR_WEIGHT times the square root
 * of its share that reaches that far, against as many of the client's own payments as did:
 * a client with twenty paid invoices but only one as late as this one is still mostly the
 * book's tail, without a rare tail outweighing a client's steady habit.
 */
const PRIOR_WEIGHT = 1.5;
/** Signed lateness is kept within this range: a year-late payment says "very late", not its exact day. */
const MIN_DAY = -90;
const MAX_DAY = 400;
/** Paid more than this many days late counts as a late payment when measuring how widely a client's late payments vary. */
const LATE_AFTER_DAYS = 3;
/**
 * How widely late payments vary around their typical day, relative to it, when a client has
 * few late payments of its own (a tenth: 20 days late typically means 18–22), and how many
 * late payments that guess weighs against the client's own.
 */
const BOOK_RELATIVE_SPREAD = 0.1;
const SPREAD_PRIOR_COUNT = 3;
/** Each paid invoice's day is smeared either side over this many times the client's relative spread (bounded). */
const SMEAR = 1.5;
const MIN_RELATIVE_SMEAR = 0.05;
const MAX_RELATIVE_SMEAR = 0.5;

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
export const signedDaysLate = (invoice: InvoiceFact): number => clampDay(datesApart(invoice.dueAt as Date, invoice.paidAt as Date));

/** Weights per whole day from MIN_DAY to MAX_DAY: a dense array, so a prediction is a few hundred additions, not a sort. */
type Bins = Float64Array;
const BINS = MAX_DAY - MIN_DAY + 1;
/** Scratch bins for one prediction at a time (JavaScript runs one call to the end): no allocation per invoice. */
const SCRATCH = new Float64Array(BINS);

const prepared = new WeakMap<LatenessDistribution, Bins>();
/** The book as a distribution summing to 1, computed once per book. */
function bookBins(book: LatenessDistribution): Bins {
  let bins = prepared.get(book);
  if (bins) return bins;
  bins = new Float64Array(BINS);
  let total = 0;
  for (const point of book) total += point.weight;
  for (const point of book) bins[clampDay(point.day) - MIN_DAY] += total > 0 ? point.weight / total : 0;
  prepared.set(book, bins);
  return bins;
}

/** An open invoice already past its due date: its payment day is known to be later than `afterDay`. */
interface StillUnpaid {
  invoiceId: string;
  afterDay: number;
  /** Its share of each later day's mass: 1 over the mixture's mass beyond `afterDay`. */
  perMass: number;
}

export interface LatenessBasis {
  /** The book, shared by every client, summing to 1. */
  book: Bins;
  /** The client's own weights (one per paid invoice, recency-shaped) from bin `offset` on. */
  own: Float64Array;
  offset: number;
  basedOn: number;
  ownDays: number[];
  /** The client's other overdue open invoices, latest `afterDay` last: evidence that it pays at least that late. */
  stillUnpaid: StillUnpaid[];
}

/**
 * The client's own paid invoices known at `now`, recency-weighted and each smeared over
 * nearby days by the client's own spread (few samples never look certain), weighing as many
 * invoices as it has; the book weighs PRIOR_WEIGHT invoices against it wherever the
 * prediction looks (shrinkage). Its other open invoices already overdue count as payments
 * at least that late, spread like the mixture beyond their age.
 */
export function latenessDistribution(history: ClientHistory, now: Date, options: PredictionOptions = {}): LatenessBasis {
  const book = bookBins(options.book && options.book.length > 0 ? options.book : DEFAULT_BOOK);
  const ownDays: number[] = [];
  const weights: number[] = [];
  const overdue: Array<{ invoiceId: string; afterDay: number }> = [];
  let weight = 0;
  for (const invoice of history.invoices) {
    if (!invoice.dueAt) continue;
    if (invoice.status === 'open' && invoice.amountRemaining > 0) {
      const age = datesApart(invoice.dueAt, now);
      if (age >= 0 && age < MAX_DAY) overdue.push({ invoiceId: invoice.id, afterDay: age });
      continue;
    }
    if (invoice.status !== 'paid' || !invoice.paidAt || invoice.paidAt > now) continue;
    const w = Math.pow(0.5, (now.getTime() - invoice.paidAt.getTime()) / DAY_MS / HALF_LIFE_DAYS);
    ownDays.push(signedDaysLate(invoice));
    weights.push(w);
    weight += w;
  }
  if (ownDays.length === 0 && overdue.length === 0) return { book, own: new Float64Array(0), offset: 0, basedOn: 0, ownDays, stillUnpaid: [] };
  const smear = relativeSmear(ownDays, weights);
  const spreadOf = (day: number) => Math.round(Math.abs(day) * smear);
  let low = MAX_DAY;
  let high = MIN_DAY;
  for (const day of ownDays) {
    low = Math.min(low, clampDay(day - spreadOf(day)));
    high = Math.max(high, clampDay(day + spreadOf(day)));
  }
  if (ownDays.length === 0) low = high = 0;
  const own = new Float64Array(high - low + 1);
  // Recency shapes the client's distribution; how much it weighs against the book is its number of invoices.
  const scale = weight > 0 ? ownDays.length / weight : 0;
  ownDays.forEach((day, i) => {
    const spread = spreadOf(day);
    const share = (weights[i] * scale) / (2 * spread + 1);
    for (let k = -spread; k <= spread; k += 1) own[clampDay(day + k) - low] += share;
  });
  const offset = low - MIN_DAY;
  const basis: LatenessBasis = { book, own, offset, basedOn: ownDays.length, ownDays, stillUnpaid: [] };
  basis.stillUnpaid = stillUnpaid(basis, overdue);
  return basis;
}

/**
 * How widely this client's late payments vary, relative to their typical lateness (weighted
 * median absolute deviation over the weighted median), shrunk towards BOOK_RELATIVE_SPREAD
 * when it has few late payments: a client whose late payments scatter gets wider ranges.
 */
function relativeSmear(days: number[], weights: number[]): number {
  const late: Array<{ day: number; weight: number }> = [];
  days.forEach((day, i) => {
    if (day > LATE_AFTER_DAYS) late.push({ day, weight: weights[i] });
  });
  let relative = BOOK_RELATIVE_SPREAD;
  if (late.length >= 2) {
    const typical = weightedMedian(late);
    const deviation = weightedMedian(late.map(({ day, weight }) => ({ day: Math.abs(day - typical), weight })));
    relative = ((deviation / typical) * late.length + BOOK_RELATIVE_SPREAD * SPREAD_PRIOR_COUNT) / (late.length + SPREAD_PRIOR_COUNT);
  }
  return Math.min(MAX_RELATIVE_SMEAR, Math.max(MIN_RELATIVE_SMEAR, relative * SMEAR));
}

function weightedMedian(points: Array<{ day: number; weight: number }>): number {
  const sorted = [...points].sort((a, b) => a.day - b.day);
  const total = sorted.reduce((sum, point) => sum + point.weight, 0);
  let seen = 0;
  for (const point of sorted) {
    seen += point.weight;
    if (seen >= total / 2) return point.day;
  }
  return sorted[sorted.length - 1].day;
}

/** The own-plus-book mixture's weight on bin `i` (before any still-unpaid invoice is added). */
function mixtureAt(basis: LatenessBasis, i: number): number {
  const j = i - basis.offset;
  return basis.book[i] * PRIOR_WEIGHT + (j >= 0 && j < basis.own.length ? basis.own[j] : 0);
}

/** Each overdue open invoice as one invoice's worth of mass spread like the mixture beyond its age. */
function stillUnpaid(basis: LatenessBasis, overdue: Array<{ invoiceId: string; afterDay: number }>): StillUnpaid[] {
  if (overdue.length === 0) return [];
  overdue.sort((a, b) => a.afterDay - b.afterDay);
  const out: StillUnpaid[] = [];
  // One pass from the far end: the mixture's mass beyond each age.
  let beyond = 0;
  let next = overdue.length - 1;
  for (let i = BINS - 1; i >= 0 && next >= 0; i -= 1) {
    beyond += mixtureAt(basis, i);
    while (next >= 0 && overdue[next].afterDay - MIN_DAY === i) {
      if (beyond > 0) out.push({ ...overdue[next], perMass: 1 / beyond });
      next -= 1;
    }
  }
  return out.reverse();
}

/**
 * Quantiles (in days after due, fractional) of the payment day given the invoice is still
 * unpaid `ageDays` after its due date: mass before then is gone, the day in progress keeps
 * its remaining part, each day's mass spread evenly over it. What is left of the client's own
 * history weighs as many invoices as reach that far; what is left of the book weighs
 * PRIOR_WEIGHT times the square root of its share left. When nothing known reaches that far, a heavy tail stands in: the
 * longer unpaid, the longer to wait.
 */
function conditionedQuantiles(basis: LatenessBasis, ageDays: number, qs: number[], invoiceId: string): number[] {
  const { book, own, offset, stillUnpaid: unpaid } = basis;
  const first = Math.max(0, Math.floor(ageDays) - MIN_DAY);
  const remaining = (day: number) => (day >= ageDays ? 1 : Math.max(0, day + 1 - ageDays));
  // Own mass per bin: paid invoices, plus each other overdue invoice's share once past its age.
  const ownAt = SCRATCH;
  let perMass = 0;
  let u = 0;
  for (; u < unpaid.length && unpaid[u].afterDay - MIN_DAY < first; u += 1) if (unpaid[u].invoiceId !== invoiceId) perMass += unpaid[u].perMass;
  let ownLeft = 0;
  let bookLeft = 0;
  for (let i = first; i < BINS; i += 1) {
    for (; u < unpaid.length && unpaid[u].afterDay - MIN_DAY <= i; u += 1) if (unpaid[u].invoiceId !== invoiceId) perMass += unpaid[u].perMass;
    const j = i - offset;
    const paid = j >= 0 && j < own.length ? own[j] : 0;
    const mass = (paid + (perMass > 0 ? perMass * mixtureAt(basis, i) : 0)) * remaining(i + MIN_DAY);
    ownAt[i - first] = mass;
    ownLeft += mass;
    bookLeft += book[i] * remaining(i + MIN_DAY);
  }
  if (ownLeft + bookLeft <= 1e-9) {
    const age = Math.max(1, ageDays);
    // Residual wait 10 %, 50 %, 90 %: a tenth, a half and twice the age so far (at least 2 days).
    return qs.map((q) => age + Math.max(2, age * (q <= 0.1 ? 0.1 : q >= 0.9 ? 2 : 0.5)));
  }
  const bookScale = bookLeft > 0 ? PRIOR_WEIGHT / Math.sqrt(bookLeft) : 0;
  const total = ownLeft + bookLeft * bookScale;
  const out: number[] = [];
  let seen = 0;
  let q = 0;
  for (let i = first; i < BINS && q < qs.length; i += 1) {
    const day = i + MIN_DAY;
    const m = ownAt[i - first] + book[i] * remaining(day) * bookScale;
    if (m <= 0) continue;
    while (q < qs.length && seen + m >= qs[q] * total) {
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
  // Days are counted from the start of the due date (see LatenessDistribution); today's part already gone is gone.
  const dueDate = utcDateNumber(due) * DAY_MS;
  const ageDays = (now.getTime() - dueDate) / DAY_MS;
  const [low, mid, high] = conditionedQuantiles(basis, ageDays, [0.1, 0.5, 0.9], invoice.id);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const at = (days: number) => new Date(Math.max(today, dueDate + Math.floor(days) * DAY_MS));
  const expected = at(mid);
  // The range is whole days, both ends included: [earliest, latest] covers the continuous
  // days [earliest, latest + 1), so each end is rounded to the nearest day boundary of the
  // 10 % and 90 % points, not floored (flooring both would add a day's worth of coverage).
  const earliest = at(Math.min(Math.round(low), mid));
  const latest = at(Math.max(Math.round(high) - 1, mid));
  const when = (date: Date) => shortDate(date, now);
  const habit =
    basis.basedOn === 0
      ? 'no paid invoice of its own yet, so your other clients’ habits decide'
      : `paid ${basis.basedOn === 1 ? 'its one invoice' : `its ${plural(basis.basedOn, 'invoice')}`} ${describeMedian(median(basis.ownDays))}` +
        (basis.basedOn < 5 ? ', shrunk towards your other clients’ habits' : '');
  // The days the owner sees elsewhere (days past due), not the dates the prediction counts in.
  const pastDue = daysPastDue(due, now);
  const overdue = pastDue >= 1 ? `; still unpaid ${plural(pastDue, 'day')} after the due date, so only later days remain` : '';
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
