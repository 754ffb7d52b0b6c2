import type { Money } from '../../common/money';
import { money } from '../../common/money';
import type { ClientHistory } from './client-history';
import { percentiles } from './stats';

export interface PaymentPrediction {
  invoiceId: string;
  amount: Money;
  dueDate: string;
  expectedDate: string;
  earliest: string;
  latest: string;
  /** How many paid invoices the prediction rests on. */
  basedOn: number;
}

const DAY_MS = 86_400_000;
const iso = (date: Date) => date.toISOString().slice(0, 10);

/**
 * When each open invoice will probably be paid, from the client's own history: due date
 * plus their median days late (range p25–p90). Never in the past: an invoice already
 * beyond its expected date is expected from today on. Earliest due first.
 */
export function predictPayments(history: ClientHistory, now: Date): PaymentPrediction[] {
  const paidLateness = history.invoices
    .filter((invoice) => invoice.status === 'paid' && invoice.dueAt && invoice.paidAt)
    .map((invoice) => Math.round(((invoice.paidAt as Date).getTime() - (invoice.dueAt as Date).getTime()) / DAY_MS));
  const [early, typical, late] = percentiles(paidLateness, [25, 50, 90]).map((days) => Math.round(days));
  const atLeastToday = (date: Date) => (date < now ? now : date);
  return history.invoices
    .filter((invoice) => invoice.status === 'open' && invoice.dueAt && invoice.amountRemaining > 0)
    .sort((a, b) => (a.dueAt as Date).getTime() - (b.dueAt as Date).getTime() || a.id.localeCompare(b.id))
    .map((invoice) => {
      const due = invoice.dueAt as Date;
      const shift = (days: number) => atLeastToday(new Date(due.getTime() + days * DAY_MS));
      return {
        invoiceId: invoice.id,
        amount: money(invoice.amountRemaining, invoice.currency),
        dueDate: iso(due),
        expectedDate: iso(shift(typical)),
        earliest: iso(shift(Math.min(early, typical))),
        latest: iso(shift(Math.max(late, typical))),
        basedOn: paidLateness.length,
      };
    });
}
