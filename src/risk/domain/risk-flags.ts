import { formatMoney, money, sumByCurrency } from '../../common/money';
import type { ClientHistory, Evidence, RiskFlag } from './client-history';
import type { MetricsWorkings } from './client-metrics';
import type { DetectionConfig } from './detection-config';
import { median } from './stats';

export interface FlagFinding {
  flag: RiskFlag;
  reason: string;
  evidence: Evidence[];
}

const iso = (date: Date) => date.toISOString().slice(0, 10);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function invoiceEvidence(entry: { invoice: MetricsWorkings['due'][number]['invoice']; daysLate: number }): Evidence {
  const { invoice } = entry;
  return { kind: 'invoice', id: invoice.id, amount: money(invoice.total, invoice.currency), date: iso(invoice.dueAt as Date), daysLate: entry.daysLate, detail: invoice.number ?? undefined };
}

/**
 * The five flags and their evidence. Each rule needs a pattern, never one unlucky
 * invoice: chronic lateness needs `minInvoices` due invoices, slipping needs a record of
 * punctuality to slip from.
 */
export function evaluateFlags(history: ClientHistory, workings: MetricsWorkings, now: Date, cfg: DetectionConfig): FlagFinding[] {
  const findings: FlagFinding[] = [];
  const { due, metrics } = workings;
  const grace = cfg.graceDays;

  // chronic_late_payer
  const window = due.slice(-cfg.chronicLate.window);
  const lateInWindow = window.filter((entry) => entry.daysLate > grace);
  if (due.length >= cfg.chronicLate.minInvoices && (lateInWindow.length >= cfg.chronicLate.minLate || workings.medianDaysLate > cfg.chronicLate.medianDaysLate)) {
    const basis = lateInWindow.length >= cfg.chronicLate.minLate ? lateInWindow : due.filter((entry) => entry.daysLate > grace);
    findings.push({
      flag: 'chronic_late_payer',
      reason: `paid ${lateInWindow.length} of the last ${window.length} invoices late, ${Math.round(median(window.map((entry) => entry.daysLate)))} days on median`,
      evidence: basis.map(invoiceEvidence),
    });
  }

  // repeated_discount_demands
  const share = metrics.discounts.shareOfBilling;
  if (workings.discountEventsInWindow.length >= cfg.discounts.minEvents || share > cfg.discounts.maxShareOfBilling) {
    const basis = workings.discountEventsInWindow.length >= cfg.discounts.minEvents ? workings.discountEventsInWindow : workings.discountEvents;
    const totals = metrics.discounts.totals.map((total) => formatMoney(total)).join(' + ');
    findings.push({
      flag: 'repeated_discount_demands',
      reason: `${plural(workings.discountEventsInWindow.length, 'discount event')} in the last ${cfg.discounts.windowDays} days; ${totals || 'no amount'} in discounts, ${Math.round(share * 100)}% of billing`,
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
  const disputes = history.disputes.filter((dispute) => dispute.createdAt <= now && dispute.createdAt.getTime() >= now.getTime() - cfg.lookbackDays * 86_400_000);
  if (disputes.length > 0) {
    findings.push({
      flag: 'disputes',
      reason: `${plural(disputes.length, 'payment dispute')} in the last ${cfg.lookbackDays} days${metrics.disputes.lost > 0 ? ` (${metrics.disputes.lost} lost)` : ''}`,
      evidence: disputes.map((dispute) => ({ kind: 'dispute' as const, id: dispute.id, amount: money(dispute.amount, dispute.currency), date: iso(dispute.createdAt), detail: dispute.status })),
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
      reason: `late on ${recentLate.length} of the last ${recent.length} invoices after paying ${earlierOnTime.length} of ${earlier.length} earlier ones on time`,
      evidence: recentLate.map(invoiceEvidence),
    });
  }
  return findings;
}
