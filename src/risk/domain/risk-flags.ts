import { formatMoney, money, sumByCurrency } from '../../common/money';
import type { ClientHistory, Evidence, RiskFlag } from './client-history';
import { type DueEntry, type MetricsWorkings, medianDays } from './client-metrics';
import type { DetectionConfig } from './detection-config';
import type { DiscountEvent } from './discount-events';
import { iso, plural, shortDate } from './plain-words';
import { DAY_MS } from '../../common/time';

export interface FlagFinding {
  flag: RiskFlag;
  reason: string;
  evidence: Evidence[];
}

function invoiceEvidence(entry: DueEntry): Evidence {
  const { invoice } = entry;
  return {
    kind: 'invoice',
    id: invoice.id,
    amount: money(invoice.total, invoice.currency),
    date: iso(invoice.dueAt as Date),
    daysLate: entry.daysLate,
    detail: invoice.number ?? undefined,
  };
}

/**
 * The run of consecutive due invoices with the most late ones: runs of `window` invoices
 * anywhere in the lookback (all of them when there are fewer). The latest run wins a tie,
 * so the reason speaks of the most recent occurrence of the pattern.
 */
export function worstLateRun(due: DueEntry[], window: number, graceDays: number): { run: DueEntry[]; late: number } {
  const size = Math.min(window, due.length);
  if (size === 0) return { run: [], late: 0 };
  const isLate = (entry: DueEntry) => (entry.daysLate > graceDays ? 1 : 0);
  let late = due.slice(0, size).reduce((sum, entry) => sum + isLate(entry), 0);
  let best = { start: 0, late };
  for (let start = 1; start + size <= due.length; start += 1) {
    late += isLate(due[start + size - 1]) - isLate(due[start - 1]);
    if (late >= best.late) best = { start, late };
  }
  return { run: due.slice(best.start, best.start + size), late: best.late };
}

const DISCOUNT_WORDS: Record<DiscountEvent['kind'], [string, string]> = {
  coupon: ['discounted invoice', 'discounted invoices'],
  credit_note: ['credit note', 'credit notes'],
  void_reissue: ['invoice re-issued for less', 'invoices re-issued for less'],
  discount_request: ['request logged by hand', 'requests logged by hand'],
  invoice: ['invoice', 'invoices'],
  dispute: ['dispute', 'disputes'],
};

function discountKinds(events: DiscountEvent[]): string {
  const counts = new Map<DiscountEvent['kind'], number>();
  for (const event of events) counts.set(event.kind, (counts.get(event.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => plural(n, DISCOUNT_WORDS[kind][0], DISCOUNT_WORDS[kind][1])).join(', ');
}

/**
 * The five flags and their evidence. Each rule needs a pattern, never one unlucky
 * invoice, and a count rule holds wherever its window falls inside the lookback (how much
 * an old pattern still matters is the score's business, through recency): chronic
 * lateness needs `minInvoices` due invoices and `minLate` late in some run of `window`
 * (the same share of a shorter history), or a median beyond `medianDaysLate`; discount
 * demands need `minEvents` within some `windowDays`; slipping needs a record of
 * punctuality to slip from. Reasons say what happened and when, in plain words.
 */
export function evaluateFlags(history: ClientHistory, workings: MetricsWorkings, now: Date, cfg: DetectionConfig): FlagFinding[] {
  const findings: FlagFinding[] = [];
  const { due, metrics } = workings;
  const grace = cfg.graceDays;
  const when = (date: Date) => shortDate(date, now);

  // chronic_late_payer
  const { run, late: lateInRun } = worstLateRun(due, cfg.chronicLate.window, grace);
  const needed = Math.ceil((cfg.chronicLate.minLate * run.length) / cfg.chronicLate.window - 1e-9);
  const byShare = run.length > 0 && lateInRun >= needed;
  const byMedian = workings.medianDaysLate > cfg.chronicLate.medianDaysLate;
  if (due.length >= cfg.chronicLate.minInvoices && (byShare || byMedian)) {
    const basis = byShare ? run : due;
    const lateOnes = basis.filter((entry) => entry.daysLate > grace);
    const span = `due between ${when(basis[0].invoice.dueAt as Date)} and ${when(basis[basis.length - 1].invoice.dueAt as Date)}`;
    // A late invoice still open is late, not "paid late": said apart, so the sentence matches its evidence.
    const unpaid = lateOnes.filter((entry) => entry.invoice.status !== 'paid').length;
    const stillOpen = unpaid === 0 ? '' : ` and left ${unpaid} more unpaid longer than that`;
    findings.push({
      flag: 'chronic_late_payer',
      reason:
        `paid ${lateOnes.length - unpaid} of ${plural(basis.length, 'invoice')} ${span} more than ` +
        `${plural(grace, 'day')} late${stillOpen}, ${Math.round(medianDays(basis))} days late on median`,
      evidence: lateOnes.map(invoiceEvidence),
    });
  }

  // repeated_discount_demands
  const share = metrics.discounts.shareOfBilling;
  const run3 = workings.discountEventsInWindow;
  if (run3.length >= cfg.discounts.minEvents || share > cfg.discounts.maxShareOfBilling) {
    const byCount = run3.length >= cfg.discounts.minEvents;
    const basis = byCount ? run3 : workings.discountEvents;
    const totals = metrics.discounts.totals.map((total) => formatMoney(total)).join(' + ');
    const span = basis.length === 1 ? `on ${when(basis[0].at)}` : `between ${when(basis[0].at)} and ${when(basis[basis.length - 1].at)}`;
    const money = `${totals || 'no amount'} in discounts over the last ${cfg.lookbackDays} days, ${Math.round(share * 100)}% of billing`;
    findings.push({
      flag: 'repeated_discount_demands',
      reason: byCount
        ? `${plural(basis.length, 'discount request')} ${span} (${discountKinds(basis)}); ${money}`
        : `${money} (${discountKinds(basis)} ${span})`,
      evidence: basis.map(({ at: _at, ...evidence }) => evidence),
    });
  }

  // arrears
  // minAmount is compared per currency: amounts in different currencies never add up.
  const overdue = workings.openPastDue.filter((entry) => entry.daysPastDue >= cfg.arrears.minDaysPastDue);
  const overdueTotals = sumByCurrency(overdue.map((entry) => money(entry.invoice.amountRemaining, entry.invoice.currency)));
  if (overdue.length > 0 && overdueTotals.some((total) => total.amount >= cfg.arrears.minAmount)) {
    findings.push({
      flag: 'arrears',
      reason: `${metrics.arrears.map((m) => formatMoney(m)).join(' + ')} overdue, the oldest ${metrics.oldestArrearsDays} days past due`,
      evidence: workings.openPastDue.map((entry) => ({
        kind: 'invoice' as const,
        id: entry.invoice.id,
        amount: money(entry.invoice.amountRemaining, entry.invoice.currency),
        date: iso(entry.invoice.dueAt as Date),
        daysLate: entry.daysPastDue,
        detail: entry.invoice.number ?? undefined,
      })),
    });
  }

  // disputes
  const disputes = history.disputes.filter((dispute) => dispute.createdAt <= now && dispute.createdAt.getTime() >= now.getTime() - cfg.lookbackDays * DAY_MS);
  if (disputes.length > 0) {
    const sorted = [...disputes].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const span =
      sorted.length === 1 ? `on ${when(sorted[0].createdAt)}` : `between ${when(sorted[0].createdAt)} and ${when(sorted[sorted.length - 1].createdAt)}`;
    findings.push({
      flag: 'disputes',
      reason: `${plural(disputes.length, 'payment dispute')} ${span}${metrics.disputes.lost > 0 ? ` (${metrics.disputes.lost} lost)` : ''}`,
      evidence: sorted.map((dispute) => ({
        kind: 'dispute' as const,
        id: dispute.id,
        amount: money(dispute.amount, dispute.currency),
        date: iso(dispute.createdAt),
        detail: dispute.status,
      })),
    });
  }

  // slipping
  const recent = due.slice(-cfg.slipping.recentInvoices);
  const earlier = due.slice(0, Math.max(0, due.length - cfg.slipping.recentInvoices));
  const recentLate = recent.filter((entry) => entry.daysLate > grace);
  const earlierOnTime = earlier.filter((entry) => entry.daysLate <= grace);
  if (
    recent.length === cfg.slipping.recentInvoices &&
    earlier.length >= 4 &&
    recentLate.length / recent.length >= cfg.slipping.recentLateShare &&
    earlierOnTime.length / earlier.length >= cfg.slipping.earlierOnTimeShare
  ) {
    findings.push({
      flag: 'slipping',
      reason:
        `late on ${recentLate.length} of the last ${recent.length} invoices (due ${when(recent[0].invoice.dueAt as Date)} to ` +
        `${when(recent[recent.length - 1].invoice.dueAt as Date)}) after paying ${earlierOnTime.length} of ${earlier.length} earlier ones on time`,
      evidence: recentLate.map(invoiceEvidence),
    });
  }
  return findings;
}
