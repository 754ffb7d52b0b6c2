import { formatMoney, Money, sumByCurrency } from '../../common/money';
import { daysPastDue, isPastDue } from '../../common/time';

export interface OutstandingInvoice {
  invoiceId: string;
  number: string | null;
  dueAt: Date;
  remaining: Money;
  subscriptionId: string | null;
}

export interface WorkPauseSettings {
  minDaysPastDue: number;
  /** Minor units of the policy currency. */
  minAmount: number;
}

export interface PauseJudgement {
  warranted: boolean;
  /** The invoices that make the pause necessary (past `minDaysPastDue` with money owed). */
  causes: OutstandingInvoice[];
  arrears: Money[];
  oldestDaysPastDue: number;
  reason: string;
}

/**
 * Work is paused while arrears are old enough and large enough. The amount threshold is in
 * the policy currency; invoices in another currency count only when it is 0, because
 * payrisk does not convert currencies. Resuming is the same judgement turning false: once
 * payments, credit notes or voids bring the arrears under the rule, work resumes.
 */
export function judgeArrears(outstanding: OutstandingInvoice[], settings: WorkPauseSettings, policyCurrency: string, now: Date): PauseJudgement {
  // Past due = a whole day past the due moment (common/time); `loadOutstanding` already reads only those.
  const owed = outstanding.filter((invoice) => invoice.remaining.amount > 0 && isPastDue(invoice.dueAt, now));
  const causes = owed.filter((invoice) => daysPastDue(invoice.dueAt, now) >= settings.minDaysPastDue);
  const arrears = sumByCurrency(owed.map((invoice) => invoice.remaining));
  const oldestDaysPastDue = Math.max(0, ...owed.map((invoice) => daysPastDue(invoice.dueAt, now)));
  const causeTotals = sumByCurrency(causes.map((invoice) => invoice.remaining));
  const inPolicyCurrency = causeTotals.find((total) => total.currency === policyCurrency)?.amount ?? 0;
  const warranted = causes.length > 0 && (settings.minAmount === 0 || inPolicyCurrency >= settings.minAmount);
  const invoicesAre = causes.length === 1 ? 'an invoice is' : `${causes.length} invoices are`;
  const owedWords = causeTotals.map((total) => formatMoney(total)).join(' + ');
  const minAmountWords = settings.minAmount > 0 ? `, ${formatMoney({ amount: settings.minAmount, currency: policyCurrency })}` : '';
  const reason = warranted
    ? `${invoicesAre} at least ${settings.minDaysPastDue} days past due (oldest ${oldestDaysPastDue} days, ${owedWords} owed)`
    : owed.length === 0
      ? 'every overdue invoice is settled'
      : `arrears are under the pause rule (${settings.minDaysPastDue} days${minAmountWords})`;
  return { warranted, causes, arrears, oldestDaysPastDue, reason };
}
