import { money, Money, sumByCurrency } from '../../common/money';
import type { ClientHistory, InvoiceFact } from './client-history';
import type { DetectionConfig } from './detection-config';
import { daysLate, isDue, wholeDaysBetween } from './days-late';
import { discountEvents, DiscountEvent } from './discount-events';
import { mean, median, percentiles, round1 } from './stats';

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
    /** Days late per invoice, weighted by amount (relative to the client's usual invoice) and recency; the single latest payment counts only as late as the second-latest. */
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

const DAY_MS = 86_400_000;

/** A share to a tenth of a percent, rounded in one step so 4/7 is 0.571 and not 0.5710000000000001. */
const share3 = (share: number): number => Math.round(share * 1000) / 1000;

/** Recency weight of something that happened at `at`, seen from `now`. */
export const recencyWeight = (at: Date, now: Date, halfLifeDays: number): number => Math.pow(0.5, Math.max(0, now.getTime() - at.getTime()) / DAY_MS / halfLifeDays);

/**
 * Days late weighted by invoice total, within each currency (cents and yen never add up);
 * the worst currency counts, as for the discount share.
 */
function amountWeightedDaysLate(due: DueEntry[]): number {
  const byCurrency = new Map<string, { weighted: number; weight: number }>();
  for (const { invoice, daysLate: late } of due) {
    const sums = byCurrency.get(invoice.currency) ?? { weighted: 0, weight: 0 };
    sums.weighted += late * invoice.total;
    sums.weight += invoice.total;
    byCurrency.set(invoice.currency, sums);
  }
  return [...byCurrency.values()].reduce((worst, { weighted, weight }) => (weight > 0 ? Math.max(worst, weighted / weight) : worst), 0);
}

/** Each invoice's total relative to the client's mean invoice in its currency: a currency-free weight. */
function relativeAmounts(due: DueEntry[]): number[] {
  const sums = new Map<string, { total: number; count: number }>();
  for (const { invoice } of due) {
    const sum = sums.get(invoice.currency) ?? { total: 0, count: 0 };
    sum.total += Math.max(0, invoice.total);
    sum.count += 1;
    sums.set(invoice.currency, sum);
  }
  return due.map(({ invoice }) => {
    const sum = sums.get(invoice.currency) as { total: number; count: number };
    return sum.total > 0 ? Math.max(0, invoice.total) / (sum.total / sum.count) : 1;
  });
}

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

/** Every metric of one client over the lookback, as of `now`. Pure. */
export function computeMetrics(history: ClientHistory, now: Date, cfg: DetectionConfig): MetricsWorkings {
  const since = new Date(now.getTime() - cfg.lookbackDays * DAY_MS);
  const halfLife = cfg.recencyHalfLifeDays;
  const due: DueEntry[] = history.invoices
    .filter((invoice) => isDue(invoice, now) && (invoice.dueAt as Date) >= since)
    .sort((a, b) => (a.dueAt as Date).getTime() - (b.dueAt as Date).getTime() || a.id.localeCompare(b.id))
    .map((invoice) => ({ invoice, daysLate: daysLate(invoice, now), weight: recencyWeight(invoice.dueAt as Date, now, halfLife) }));
  const late = due.filter((entry) => entry.daysLate > cfg.graceDays);
  const lateness = due.map((entry) => entry.daysLate);
  const [medianLate, p90Late] = percentiles(lateness, [50, 90]);

  const openPastDue = history.invoices
    .filter((invoice) => invoice.status === 'open' && invoice.dueAt !== null && invoice.dueAt < now && invoice.amountRemaining > 0)
    .map((invoice) => ({ invoice, daysPastDue: wholeDaysBetween(invoice.dueAt as Date, now) }))
    .filter((entry) => entry.daysPastDue > 0)
    .sort((a, b) => b.daysPastDue - a.daysPastDue || a.invoice.id.localeCompare(b.invoice.id));

  const recentCount = cfg.slipping.recentInvoices;
  const recent = due.slice(-recentCount);
  const earlier = due.slice(0, Math.max(0, due.length - recentCount));
  const lateShareOf = (entries: DueEntry[]) => (entries.length === 0 ? 0 : entries.filter((e) => e.daysLate > cfg.graceDays).length / entries.length);

  // Severity: recency-weighted share and days late (amount-relative), the worst recent, and how long since the last late invoice.
  const relative = relativeAmounts(due);
  // One unlucky invoice is no habit: each invoice counts at most as late as the second-latest one.
  const sortedLate = [...lateness].sort((a, b) => b - a);
  const cap = sortedLate.length > 1 ? sortedLate[1] : 0;
  let weightSum = 0;
  let lateWeight = 0;
  let amountWeight = 0;
  let amountDays = 0;
  let lastLateEnd: Date | null = null;
  due.forEach((entry, i) => {
    weightSum += entry.weight;
    amountWeight += entry.weight * relative[i];
    amountDays += entry.weight * relative[i] * Math.min(entry.daysLate, cap);
    if (entry.daysLate > cfg.graceDays) {
      lateWeight += entry.weight;
      const end = entry.invoice.status === 'paid' && entry.invoice.paidAt ? entry.invoice.paidAt : now;
      if (!lastLateEnd || end > lastLateEnd) lastLateEnd = end;
    }
  });
  const lastLate = lastLateEnd as Date | null;

  const allEvents = discountEvents(history, cfg.discounts.reissueWindowDays).filter((event) => event.at >= since && event.at <= now);
  const inWindow = densestRun(allEvents, cfg.discounts.windowDays);
  const billed = history.invoices.filter((invoice) => invoice.status !== 'void' && invoice.status !== 'draft' && invoice.createdAt >= since);
  const grossByCurrency = new Map<string, { gross: number; count: number }>();
  for (const invoice of billed) {
    const gross = grossByCurrency.get(invoice.currency) ?? { gross: 0, count: 0 };
    gross.gross += invoice.subtotal;
    gross.count += 1;
    grossByCurrency.set(invoice.currency, gross);
  }
  const totals = sumByCurrency(allEvents.map((event) => event.amount));
  // Share per currency, the worst one counts: amounts in different currencies never mix. A
  // currency with nothing billed in the lookback (a late credit note on an old invoice) has
  // no share to speak of; its events still count towards minEvents.
  const shareOfBilling = totals.reduce((worst, total) => {
    const gross = grossByCurrency.get(total.currency)?.gross ?? 0;
    return gross > 0 ? Math.max(worst, total.amount / gross) : worst;
  }, 0);

  const arrears = sumByCurrency(openPastDue.map((entry) => money(entry.invoice.amountRemaining, entry.invoice.currency)));
  const arrearsInInvoices = arrears.reduce((worst, owed) => {
    const billedIn = grossByCurrency.get(owed.currency);
    const usual = billedIn && billedIn.count > 0 && billedIn.gross > 0 ? billedIn.gross / billedIn.count : owed.amount;
    return Math.max(worst, usual > 0 ? owed.amount / usual : 0);
  }, 0);

  const disputes = history.disputes.filter((dispute) => dispute.createdAt >= since && dispute.createdAt <= now);
  const failedPaymentAttempts = history.invoices
    .filter((invoice) => invoice.createdAt >= since)
    .reduce((sum, invoice) => sum + Math.max(0, invoice.attemptCount - (invoice.status === 'paid' ? 1 : 0)), 0);

  return {
    metrics: {
      invoicesDue: due.length,
      lateCount: late.length,
      lateShare: share3(due.length === 0 ? 0 : late.length / due.length),
      avgDaysLate: round1(mean(lateness)),
      medianDaysLate: round1(medianLate),
      p90DaysLate: round1(p90Late),
      maxDaysLate: lateness.length === 0 ? 0 : Math.max(...lateness),
      amountWeightedDaysLate: round1(amountWeightedDaysLate(due)),
      severity: {
        lateShare: share3(weightSum > 0 ? lateWeight / weightSum : 0),
        daysLate: round1(amountWeight > 0 ? amountDays / amountWeight : 0),
        worstRecentDaysLate: recent.reduce((worst, entry) => Math.max(worst, entry.daysLate), 0),
        daysSinceLastLate: lastLate === null ? null : wholeDaysBetween(lastLate, now),
        arrearsInInvoices: round1(arrearsInInvoices),
      },
      arrears,
      oldestArrearsDays: openPastDue.reduce((oldest, entry) => Math.max(oldest, entry.daysPastDue), 0),
      trend: { recentLateShare: share3(lateShareOf(recent)), earlierLateShare: share3(lateShareOf(earlier)), earlierCount: earlier.length },
      discounts: {
        count: allEvents.length,
        countInWindow: inWindow.length,
        totals,
        shareOfBilling: share3(shareOfBilling),
        weightedCount: round1(allEvents.reduce((sum, event) => sum + recencyWeight(event.at, now, halfLife), 0)),
      },
      disputes: {
        count: disputes.length,
        lost: disputes.filter((dispute) => dispute.status === 'lost').length,
        weightedCount: round1(disputes.reduce((sum, dispute) => sum + recencyWeight(dispute.createdAt, now, halfLife), 0)),
      },
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
