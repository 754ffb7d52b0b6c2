import { formatMoney, money, type Money } from '../../common/money';
import type { PolicyFile } from '../../config/policy-file.schema';
import { daysPastDue } from '../../common/time';
import { decimalRatio, floorRatio, multiplyRatios, ratio, toSafeNumber } from './late-fee-arithmetic';
import { presetComponents, type FeeComponent, type FeeWindow } from './late-fee-presets';

export type LateFeeSettings = PolicyFile['lateFee'];

export interface OverdueInvoiceFacts {
  invoiceId: string;
  number: string | null;
  /** Effective due date. */
  dueAt: Date;
  /** Amount still owed now (minor units + currency). */
  remaining: Money;
  /** Invoice total the share cap is computed against. */
  principal: Money;
  /** Sum of fees already applied, approved or proposed for this invoice (same currency). */
  feesAlreadyCharged: Money;
  /**
   * Fee periods 0..n-1 are settled. Pass the highest period that has an action + 1 (equal to the
   * count of actions while no period was skipped): one decision can cover several missed periods.
   */
  periodsAlreadyCharged: number;
}

export interface LateFeeDecision {
  /** The fee period this fee is for (0 = first); the dedupe key uses it. */
  period: number;
  /** > 0 */
  fee: Money;
  daysPastDue: number;
  /** Lines that add up to `fee`: components, notes (amount 0), minimum-fee raise, cap reduction. */
  breakdown: { label: string; amount: Money }[];
  /** For the Stripe invoice item. */
  description: string;
}

const PERIOD_DAYS = 30;

/** Period k falls due once more than graceDays + 30·k days have passed since the due date. */
export function latestDuePeriod(days: number, settings: Pick<LateFeeSettings, 'graceDays' | 'recurrence'>): number | null {
  if (days <= settings.graceDays) return null;
  return settings.recurrence === 'once' ? 0 : Math.floor((days - settings.graceDays - 1) / PERIOD_DAYS);
}

/**
 * Monthly interest is charged in arrears up to fixed day marks, so a period's amount does not
 * depend on which day the job happened to run: period k covers interest up to the day it falls due.
 */
const monthlyInterestEndDay = (period: number, graceDays: number): number => (period < 0 ? 0 : graceDays + PERIOD_DAYS * period + 1);

/** null when no fee is due now (inside grace, nothing owed, cap reached, period already charged, below minimum after caps...). */
export function computeLateFee(invoice: OverdueInvoiceFacts, settings: LateFeeSettings, now: Date): LateFeeDecision | null {
  const { remaining, principal, feesAlreadyCharged, periodsAlreadyCharged } = invoice;
  assertSameCurrency(remaining, principal, feesAlreadyCharged);
  if (remaining.amount <= 0) return null;

  const days = daysPastDue(invoice.dueAt, now);
  const period = latestDuePeriod(days, settings);
  if (period === null || period < periodsAlreadyCharged) return null;

  const firstPeriod = Math.max(0, periodsAlreadyCharged);
  const window: FeeWindow = {
    remaining,
    firstPeriod,
    lastPeriod: period,
    // `once` charges everything accrued so far; statutory interest runs from the due date, not from the end of grace.
    interestFromDay: settings.recurrence === 'once' ? 0 : monthlyInterestEndDay(firstPeriod - 1, settings.graceDays),
    interestToDay: settings.recurrence === 'once' ? days : monthlyInterestEndDay(period, settings.graceDays),
    recurrence: settings.recurrence,
  };
  const components = presetComponents(settings, window);
  const lines: FeeComponent[] = [...components];
  const raw = components.reduce((sum, component) => sum + component.amount, 0n);
  if (raw <= 0n) return null;

  let fee = raw;
  const minimum = BigInt(settings.minimumFee);
  if (fee < minimum) {
    lines.push({ label: `Raised to the minimum fee of ${show(minimum, remaining)}`, summary: null, amount: minimum - fee });
    fee = minimum;
  }

  const cap = totalCap(settings, principal);
  if (cap !== null) {
    const headroom = cap - BigInt(feesAlreadyCharged.amount);
    if (headroom <= 0n) return null;
    if (fee > headroom) {
      const already = feesAlreadyCharged.amount > 0 ? ` with ${formatMoney(feesAlreadyCharged)} already charged` : '';
      lines.push({ label: `Reduced to stay within the ${show(cap, remaining)} cap on late fees${already}`, summary: null, amount: headroom - fee });
      fee = headroom;
    }
  }
  // The minimum is a floor for every fee and the cap a ceiling on the total; when both cannot hold, charge nothing.
  if (fee < minimum) return null;

  return {
    period,
    fee: money(toSafeNumber(fee), remaining.currency),
    daysPastDue: days,
    breakdown: lines.map((line) => ({ label: line.label, amount: money(toSafeNumber(line.amount), remaining.currency) })),
    description: describe(invoice, settings, days, window, components, fee === raw ? null : fee < raw ? 'capped' : 'minimum'),
  };
}

/** The smallest configured cap on the total of all fees for the invoice, in minor units; a share cap rounds down. */
function totalCap(settings: LateFeeSettings, principal: Money): bigint | null {
  const caps: bigint[] = [];
  if (settings.capAmount !== undefined) caps.push(BigInt(settings.capAmount));
  if (settings.capShareOfPrincipal !== undefined) {
    caps.push(floorRatio(multiplyRatios(ratio(Math.max(0, principal.amount)), decimalRatio(settings.capShareOfPrincipal))));
  }
  return caps.length === 0 ? null : caps.reduce((a, b) => (b < a ? b : a));
}

function describe(
  invoice: OverdueInvoiceFacts,
  settings: LateFeeSettings,
  days: number,
  window: FeeWindow,
  components: FeeComponent[],
  adjustment: 'capped' | 'minimum' | null,
): string {
  const periods =
    settings.recurrence === 'once'
      ? ''
      : window.firstPeriod === window.lastPeriod
        ? `, fee period ${window.lastPeriod + 1}`
        : `, fee periods ${window.firstPeriod + 1}–${window.lastPeriod + 1}`;
  const what = components.flatMap((component) => (component.summary !== null && component.amount > 0n ? [component.summary] : [])).join(' + ');
  const note = adjustment === 'capped' ? ' (reduced to the late-fee cap)' : adjustment === 'minimum' ? ' (minimum fee applies)' : '';
  return `Late payment fee for invoice ${invoice.number ?? invoice.invoiceId} (${days} ${days === 1 ? 'day' : 'days'} past due${periods}): ${what}${note}`;
}

const show = (amount: bigint, like: Money): string => formatMoney(money(toSafeNumber(amount), like.currency));

function assertSameCurrency(remaining: Money, ...others: Money[]): void {
  const other = others.find((m) => m.currency !== remaining.currency);
  if (other) throw new RangeError(`Late fee facts mix currencies: remaining is ${remaining.currency}, got ${other.currency}`);
}
