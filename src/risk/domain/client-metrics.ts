import { money, Money, sumByCurrency } from '../../common/money';
import type { ClientHistory, InvoiceFact } from './client-history';
import type { DetectionConfig } from './detection-config';
import { daysLate, wholeDaysBetween } from './days-late';
import { discountEvents, DiscountEvent } from './discount-events';
import { median, percentilesOfSorted, round1 } from './stats';
import { DAY_MS } from '../../common/time';

export interface ClientMetrics {
  invoicesDue: number;
  lateCount: number;
  lateShare: number;
  avgDaysLate: number;
  medianDaysLate: number;
  p90DaysLate: number;
  maxDaysLate: number;
  amountWeightedDaysLate: number;
  /** The severity inputs of the score: recent invoices weigh more (half weight at `recencyHalfLifeDays`). */
  severity: {
    /** Share of due invoices late, recency-weighted. */
    lateShare: number;
    /**
     * Days late per invoice, weighted by amount (relative to the client's usual invoice) and recency; the single latest
     * payment counts only as late as the second-latest.
     */
    daysLate: number;
    /** The worst days late among the latest `slipping.recentInvoices` due invoices. */
    worstRecentDaysLate: number;
    /** Days since the client last was late: 0 while a late invoice is still open; null when never late. */
    daysSinceLastLate: number | null;
    /** What is overdue, in the client's usual invoices (the worst currency). */
    arrearsInInvoices: number;
  };
  arrears: Money[];
  oldestArrearsDays: number;
  trend: { recentLateShare: number; earlierLateShare: number; earlierCount: number };
  discounts: { count: number; countInWindow: number; totals: Money[]; shareOfBilling: number; weightedCount: number };
  disputes: { count: number; lost: number; weightedCount: number };
  failedPaymentAttempts: number;
}

export interface DueEntry {
  invoice: InvoiceFact;
  daysLate: number;
  /** Recency weight at `now`: 1 today, ½ one half-life ago. */
  weight: number;
}

export interface MetricsWorkings {
  metrics: ClientMetrics;
  /** Due invoices in the lookback, oldest due first, with their days late. */
  due: DueEntry[];
  /** The median days late of `due`, unrounded (the metric is rounded to one decimal). */
  medianDaysLate: number;
  /** Open invoices past due, the oldest first. */
  openPastDue: Array<{ invoice: InvoiceFact; daysPastDue: number }>;
  /** Discount events in the lookback, oldest first. */
  discountEvents: DiscountEvent[];
  /** The densest run of discount events within `discounts.windowDays` anywhere in the lookback (the latest such run on a tie). */
  discountEventsInWindow: DiscountEvent[];
}

/** A share to a tenth of a percent, rounded in one step so 4/7 is 0.571 and not 0.5710000000000001. */
const share3 = (share: number): number => Math.round(share * 1000) / 1000;

/** Recency weight of something that happened at `at`, seen from `now`. */
export const recencyWeight = (at: Date, now: Date, halfLifeDays: number): number =>
  Math.pow(0.5, Math.max(0, now.getTime() - at.getTime()) / DAY_MS / halfLifeDays);

/** The densest run of events inside any `windowDays` (the latest on a tie): two pointers over events sorted by date. */
export function densestRun<T extends { at: Date }>(events: T[], windowDays: number): T[] {
  let best: [number, number] = [0, 0];
  let start = 0;
  for (let end = 0; end < events.length; end += 1) {
    while (events[end].at.getTime() - events[start].at.getTime() > windowDays * DAY_MS) start += 1;
    if (end + 1 - start >= best[1] - best[0]) best = [start, end + 1];
  }
  return events.slice(best[0], best[1]);
}

/** Per-currency sums of the due invoices: amounts in different currencies never add up. */
interface CurrencySums {
  /** Σ daysLate × total and Σ total, for the amount-weighted days late. */
  weighted: number;
  weight: number;
  /** Σ max(0, total) and count, for each invoice's total relative to the client's mean. */
  positive: number;
  count: number;
}

const byDueThenId = (a: DueEntry, b: DueEntry) =>
  (a.invoice.dueAt as Date).getTime() - (b.invoice.dueAt as Date).getTime() || a.invoice.id.localeCompare(b.invoice.id);

/**
 * Every metric of one client over the lookback, as of `now`. Pure.
 *
 * Runs once per client per detection run (50,000 clients a run), so it walks the invoices
 * once and sorts the days late once; the arithmetic (and its order) is that of the plain
 * definitions in the comments, so the figures are the same to the last bit.
 */
export function computeMetrics(history: ClientHistory, now: Date, cfg: DetectionConfig): MetricsWorkings {
  const nowMs = now.getTime();
  const sinceMs = nowMs - cfg.lookbackDays * DAY_MS;
  const since = new Date(sinceMs);
  const halfLife = cfg.recencyHalfLifeDays;
  const grace = cfg.graceDays;

  // One pass over the invoices: due ones in the lookback, open ones past due, billing and failed attempts since `since`.
  const due: DueEntry[] = [];
  const openPastDue: Array<{ invoice: InvoiceFact; daysPastDue: number }> = [];
  const grossByCurrency = new Map<string, { gross: number; count: number }>();
  let failedPaymentAttempts = 0;
  for (const invoice of history.invoices) {
    const status = invoice.status;
    const dueAt = invoice.dueAt;
    const dueMs = dueAt === null ? 0 : dueAt.getTime();
    if (dueAt !== null && dueMs <= nowMs && dueMs >= sinceMs && (status === 'open' || status === 'paid' || status === 'uncollectible')) {
      due.push({ invoice, daysLate: daysLate(invoice, now), weight: Math.pow(0.5, Math.max(0, nowMs - dueMs) / DAY_MS / halfLife) });
    }
    if (status === 'open' && dueAt !== null && dueMs < nowMs && invoice.amountRemaining > 0) {
      const daysPastDue = Math.floor((nowMs - dueMs) / DAY_MS);
      if (daysPastDue > 0) openPastDue.push({ invoice, daysPastDue });
    }
    const createdMs = invoice.createdAt.getTime();
    if (createdMs >= sinceMs) {
      failedPaymentAttempts += Math.max(0, invoice.attemptCount - (status === 'paid' ? 1 : 0));
      if (status !== 'void' && status !== 'draft') {
        const gross = grossByCurrency.get(invoice.currency);
        if (gross) {
          gross.gross += invoice.subtotal;
          gross.count += 1;
        } else grossByCurrency.set(invoice.currency, { gross: invoice.subtotal, count: 1 });
      }
    }
  }
  due.sort(byDueThenId);
  if (openPastDue.length > 1) openPastDue.sort((a, b) => b.daysPastDue - a.daysPastDue || a.invoice.id.localeCompare(b.invoice.id));

  const n = due.length;
  const recentCount = cfg.slipping.recentInvoices;
  const recentStart = Math.max(0, n - recentCount);
  const lateness = new Array<number>(n);
  const sums = new Map<string, CurrencySums>();
  let lateCount = 0;
  let recentLate = 0;
  let worstRecent = 0;
  let latenessSum = 0;
  for (let i = 0; i < n; i += 1) {
    const { invoice, daysLate: days } = due[i];
    lateness[i] = days;
    latenessSum += days;
    if (days > grace) {
      lateCount += 1;
      if (i >= recentStart) recentLate += 1;
    }
    if (i >= recentStart) worstRecent = Math.max(worstRecent, days);
    const sum = sums.get(invoice.currency);
    if (sum) {
      sum.weighted += days * invoice.total;
      sum.weight += invoice.total;
      sum.positive += Math.max(0, invoice.total);
      sum.count += 1;
    } else sums.set(invoice.currency, { weighted: days * invoice.total, weight: invoice.total, positive: Math.max(0, invoice.total), count: 1 });
  }
  // One sort serves the median, the 90th percentile, the maximum and the cap below.
  const sorted = n > 1 ? Float64Array.from(lateness).sort() : lateness;
  const [medianLate, p90Late] = percentilesOfSorted(sorted, [50, 90]);
  let amountWeighted = 0;
  for (const { weighted, weight } of sums.values()) if (weight > 0) amountWeighted = Math.max(amountWeighted, weighted / weight);

  // Severity: recency-weighted share and days late (amount-relative), the worst recent, and how long since the last late invoice.
  // One unlucky invoice is no habit: each invoice counts at most as late as the second-latest one.
  const cap = n > 1 ? sorted[n - 2] : 0;
  let weightSum = 0;
  let lateWeight = 0;
  let amountWeight = 0;
  let amountDays = 0;
  let lastLateEnd: Date | null = null;
  for (let i = 0; i < n; i += 1) {
    const entry = due[i];
    const sum = sums.get(entry.invoice.currency) as CurrencySums;
    // Each invoice's total relative to the client's mean invoice in its currency: a currency-free weight.
    const relative = sum.positive > 0 ? Math.max(0, entry.invoice.total) / (sum.positive / sum.count) : 1;
    weightSum += entry.weight;
    amountWeight += entry.weight * relative;
    amountDays += entry.weight * relative * Math.min(entry.daysLate, cap);
    if (entry.daysLate > grace) {
      lateWeight += entry.weight;
      const end = entry.invoice.status === 'paid' && entry.invoice.paidAt ? entry.invoice.paidAt : now;
      if (!lastLateEnd || end > lastLateEnd) lastLateEnd = end;
    }
  }
  const lastLate = lastLateEnd as Date | null;
  const earlierCount = recentStart;
  const recentLength = n - recentStart;
  const earlierLate = lateCount - recentLate;

  const allEvents = discountEvents(history, cfg.discounts.reissueWindowDays).filter((event) => event.at >= since && event.at <= now);
  const inWindow = densestRun(allEvents, cfg.discounts.windowDays);
  const totals = sumByCurrency(allEvents.map((event) => event.amount));
  // Share per currency, the worst one counts: amounts in different currencies never mix. A
  // currency with nothing billed in the lookback (a late credit note on an old invoice) has
  // no share to speak of; its events still count towards minEvents.
  const shareOfBilling = totals.reduce((worst, total) => {
    const gross = grossByCurrency.get(total.currency)?.gross ?? 0;
    return gross > 0 ? Math.max(worst, total.amount / gross) : worst;
  }, 0);
  let discountWeight = 0;
  for (const event of allEvents) discountWeight += recencyWeight(event.at, now, halfLife);

  const arrears = openPastDue.length === 0 ? [] : sumByCurrency(openPastDue.map((entry) => money(entry.invoice.amountRemaining, entry.invoice.currency)));
  const arrearsInInvoices = arrears.reduce((worst, owed) => {
    const billedIn = grossByCurrency.get(owed.currency);
    const usual = billedIn && billedIn.count > 0 && billedIn.gross > 0 ? billedIn.gross / billedIn.count : owed.amount;
    return Math.max(worst, usual > 0 ? owed.amount / usual : 0);
  }, 0);
  let oldestArrearsDays = 0;
  for (const entry of openPastDue) oldestArrearsDays = Math.max(oldestArrearsDays, entry.daysPastDue);

  let disputeCount = 0;
  let disputesLost = 0;
  let disputeWeight = 0;
  for (const dispute of history.disputes) {
    if (dispute.createdAt < since || dispute.createdAt > now) continue;
    disputeCount += 1;
    if (dispute.status === 'lost') disputesLost += 1;
    disputeWeight += recencyWeight(dispute.createdAt, now, halfLife);
  }

  return {
    metrics: {
      invoicesDue: n,
      lateCount,
      lateShare: share3(n === 0 ? 0 : lateCount / n),
      avgDaysLate: round1(n === 0 ? 0 : latenessSum / n),
      medianDaysLate: round1(medianLate),
      p90DaysLate: round1(p90Late),
      maxDaysLate: n === 0 ? 0 : sorted[n - 1],
      amountWeightedDaysLate: round1(amountWeighted),
      severity: {
        lateShare: share3(weightSum > 0 ? lateWeight / weightSum : 0),
        daysLate: round1(amountWeight > 0 ? amountDays / amountWeight : 0),
        worstRecentDaysLate: worstRecent,
        // A payment stamped after `now` (clock skew, a generated ledger) counts as today, never as "-6 days ago".
        daysSinceLastLate: lastLate === null ? null : Math.max(0, wholeDaysBetween(lastLate, now)),
        arrearsInInvoices: round1(arrearsInInvoices),
      },
      arrears,
      oldestArrearsDays,
      trend: {
        recentLateShare: share3(recentLength === 0 ? 0 : recentLate / recentLength),
        earlierLateShare: share3(earlierCount === 0 ? 0 : earlierLate / earlierCount),
        earlierCount,
      },
      discounts: {
        count: allEvents.length,
        countInWindow: inWindow.length,
        totals,
        shareOfBilling: share3(shareOfBilling),
        weightedCount: round1(discountWeight),
      },
      disputes: { count: disputeCount, lost: disputesLost, weightedCount: round1(disputeWeight) },
      failedPaymentAttempts,
    },
    due,
    medianDaysLate: medianLate,
    openPastDue,
    discountEvents: allEvents,
    discountEventsInWindow: inWindow,
  };
}

/** The median of whole days late, exported for the flag reasons. */
export const medianDays = (entries: DueEntry[]): number => median(entries.map((entry) => entry.daysLate));
