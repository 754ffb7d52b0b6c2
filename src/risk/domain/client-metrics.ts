import { money, Money, sumByCurrency } from '../../common/money';
import type { ClientHistory, InvoiceFact } from './client-history';
import type { DetectionConfig } from './detection-config';
import { daysLate, isDue, wholeDaysBetween } from './days-late';
import { discountEvents, DiscountEvent } from './discount-events';
import { mean, percentiles, round1 } from './stats';

export interface ClientMetrics {
  invoicesDue: number;
  lateCount: number;
  lateShare: number;
  avgDaysLate: number;
  medianDaysLate: number;
  p90DaysLate: number;
  maxDaysLate: number;
  amountWeightedDaysLate: number;
  arrears: Money[];
  oldestArrearsDays: number;
  trend: { recentLateShare: number; earlierLateShare: number; earlierCount: number };
  discounts: { count: number; countInWindow: number; totals: Money[]; shareOfBilling: number };
  disputes: { count: number; lost: number };
  failedPaymentAttempts: number;
}

export interface MetricsWorkings {
  metrics: ClientMetrics;
  /** Due invoices in the lookback, oldest due first, with their days late. */
  due: Array<{ invoice: InvoiceFact; daysLate: number }>;
  /** The median days late of `due`, unrounded (the metric is rounded to one decimal). */
  medianDaysLate: number;
  /** Open invoices past due, the oldest first. */
  openPastDue: Array<{ invoice: InvoiceFact; daysPastDue: number }>;
  discountEvents: DiscountEvent[];
  discountEventsInWindow: DiscountEvent[];
}

const DAY_MS = 86_400_000;

/** A share to a tenth of a percent, rounded in one step so 4/7 is 0.571 and not 0.5710000000000001. */
const share3 = (share: number): number => Math.round(share * 1000) / 1000;

/**
 * Days late weighted by invoice total, within each currency (cents and yen never add up);
 * the worst currency counts, as for the discount share.
 */
function amountWeightedDaysLate(due: Array<{ invoice: InvoiceFact; daysLate: number }>): number {
  const byCurrency = new Map<string, { weighted: number; weight: number }>();
  for (const { invoice, daysLate: late } of due) {
    const sums = byCurrency.get(invoice.currency) ?? { weighted: 0, weight: 0 };
    sums.weighted += late * invoice.total;
    sums.weight += invoice.total;
    byCurrency.set(invoice.currency, sums);
  }
  return [...byCurrency.values()].reduce((worst, { weighted, weight }) => (weight > 0 ? Math.max(worst, weighted / weight) : worst), 0);
}

/** Every metric of one client over the lookback, as of `now`. Pure. */
export function computeMetrics(history: ClientHistory, now: Date, cfg: DetectionConfig): MetricsWorkings {
  const since = new Date(now.getTime() - cfg.lookbackDays * DAY_MS);
  const due = history.invoices
    .filter((invoice) => isDue(invoice, now) && (invoice.dueAt as Date) >= since)
    .sort((a, b) => (a.dueAt as Date).getTime() - (b.dueAt as Date).getTime() || a.id.localeCompare(b.id))
    .map((invoice) => ({ invoice, daysLate: daysLate(invoice, now) }));
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
  const lateShareOf = (entries: typeof due) => (entries.length === 0 ? 0 : entries.filter((e) => e.daysLate > cfg.graceDays).length / entries.length);

  const events = discountEvents(history, cfg.discounts.reissueWindowDays).filter((event) => event.at >= since && event.at <= now);
  const windowStart = new Date(now.getTime() - cfg.discounts.windowDays * DAY_MS);
  const inWindow = events.filter((event) => event.at >= windowStart);
  const billed = history.invoices.filter((invoice) => invoice.status !== 'void' && invoice.status !== 'draft' && invoice.createdAt >= since);
  const grossByCurrency = new Map<string, number>();
  for (const invoice of billed) grossByCurrency.set(invoice.currency, (grossByCurrency.get(invoice.currency) ?? 0) + invoice.subtotal);
  const totals = sumByCurrency(events.map((event) => event.amount));
  // Share per currency, the worst one counts: amounts in different currencies never mix. A
  // currency with nothing billed in the lookback (a late credit note on an old invoice) has
  // no share to speak of; its events still count towards minEvents.
  const shareOfBilling = totals.reduce((worst, total) => {
    const gross = grossByCurrency.get(total.currency) ?? 0;
    return gross > 0 ? Math.max(worst, total.amount / gross) : worst;
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
      arrears: sumByCurrency(openPastDue.map((entry) => money(entry.invoice.amountRemaining, entry.invoice.currency))),
      oldestArrearsDays: openPastDue.reduce((oldest, entry) => Math.max(oldest, entry.daysPastDue), 0),
      trend: { recentLateShare: share3(lateShareOf(recent)), earlierLateShare: share3(lateShareOf(earlier)), earlierCount: earlier.length },
      discounts: { count: events.length, countInWindow: inWindow.length, totals, shareOfBilling: share3(shareOfBilling) },
      disputes: { count: disputes.length, lost: disputes.filter((dispute) => dispute.status === 'lost').length },
      failedPaymentAttempts,
    },
    due,
    medianDaysLate: medianLate,
    openPastDue,
    discountEvents: events,
    discountEventsInWindow: inWindow,
  };
}
