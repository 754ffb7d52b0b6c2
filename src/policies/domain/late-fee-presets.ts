import { currencyExponent, formatMoney, money, type Money } from '../../common/money';
import { addRatios, decimalRatio, formatPercent, multiplyRatios, ratio, roundHalfUp, type Ratio } from './late-fee-arithmetic';
import type { LateFeeSettings } from './late-fee';

/** One line of a fee before caps: what it is, the phrase for the invoice item description, its exact amount. */
export interface FeeComponent {
  label: string;
  /** Phrase for the Stripe description ("interest at 13.25% p.a."); null for notes that charge nothing. */
  summary: string | null;
  amount: bigint;
}

/** What one charge covers: fee periods firstPeriod..lastPeriod (0-based) and interest days (fromDay, toDay] past due. */
export interface FeeWindow {
  remaining: Money;
  firstPeriod: number;
  lastPeriod: number;
  interestFromDay: number;
  interestToDay: number;
  recurrence: LateFeeSettings['recurrence'];
}

/** Statutory interest is the reference rate plus 8 percentage points, in both the UK Act and the EU Directive. */
const STATUTORY_MARGIN_PERCENT = 8;
/** monthly-1.5-percent promises 1.5% in its name, so it ignores `percent` (that is what `custom` is for). */
const MONTHLY_PRESET_PERCENT = 1.5;
const DAYS_PER_YEAR = 365n; // actual/365, as the Late Payment Act computes daily interest

/**
 * Late Payment of Commercial Debts (Interest) Act 1998, s.5A: fixed sums by size of the debt,
 * in pounds. Only meaningful for sterling debts; we never convert currencies.
 */
const UK_COMPENSATION_TIERS: { belowPounds: number | null; pounds: number; debt: string }[] = [
  { belowPounds: 1_000, pounds: 40, debt: 'a debt under £1,000.00' },
  { belowPounds: 10_000, pounds: 70, debt: 'a debt of £1,000.00 to £9,999.99' },
  { belowPounds: null, pounds: 100, debt: 'a debt of £10,000.00 or more' },
];
/** Directive 2011/7/EU art. 6: a flat €40 per late invoice. */
const EU_COMPENSATION_EUROS = 40;

const majorToMinor = (major: number, currency: string): bigint => BigInt(major) * 10n ** BigInt(currencyExponent(currency));
const show = (amount: bigint, currency: string): string => formatMoney(money(amount, currency));

/** The fee components a preset charges for one window, before minimum fee and caps. */
export function presetComponents(settings: LateFeeSettings, window: FeeWindow): FeeComponent[] {
  switch (settings.preset) {
    case 'uk-late-payment-act':
      return [statutoryInterest(settings, window), ...ukCompensation(window)];
    case 'eu-late-payment-directive':
      return [statutoryInterest(settings, window), ...euCompensation(window)];
    case 'monthly-1.5-percent':
      return [percentOfRemaining(decimalRatio(MONTHLY_PRESET_PERCENT), window)];
    case 'custom':
      if (settings.method === 'fixed') return [fixedFee(BigInt(settings.fixedAmount), window)];
      if (settings.method === 'percent') return [percentOfRemaining(decimalRatio(settings.percent), window)];
      return [dailyInterest(decimalRatio(settings.annualRatePercent), '', window)];
  }
}

function statutoryInterest(settings: LateFeeSettings, window: FeeWindow): FeeComponent {
  const reference = decimalRatio(settings.referenceRatePercent);
  const rate = addRatios(reference, decimalRatio(STATUTORY_MARGIN_PERCENT));
  return dailyInterest(rate, ` (${formatPercent(reference)} reference rate + ${STATUTORY_MARGIN_PERCENT}%)`, window);
}

/** Simple interest on what is still owed: remaining × rate% × days / 365, rounded half-up once. */
function dailyInterest(annualPercent: Ratio, rateNote: string, window: FeeWindow): FeeComponent {
  const { remaining, interestFromDay, interestToDay } = window;
  const days = interestToDay - interestFromDay;
  const amount = roundHalfUp(multiplyRatios(ratio(remaining.amount), annualPercent, ratio(days, 100n * DAYS_PER_YEAR)));
  const span = window.recurrence === 'monthly' ? ` (days ${interestFromDay + 1}–${interestToDay} past due)` : '';
  const rate = formatPercent(annualPercent);
  return {
    label: `Interest at ${rate} p.a.${rateNote} on ${formatMoney(remaining)} for ${days} ${days === 1 ? 'day' : 'days'}${span}`,
    summary: `interest at ${rate} p.a.`,
    amount,
  };
}

function percentOfRemaining(percent: Ratio, window: FeeWindow): FeeComponent {
  const periods = periodCount(window);
  const amount = roundHalfUp(multiplyRatios(ratio(window.remaining.amount), percent, ratio(periods, 100n)));
  const times = periods > 1 ? ` × ${periods} periods` : '';
  return {
    label: `${formatPercent(percent)} of ${formatMoney(window.remaining)} outstanding${times}`,
    summary: `${formatPercent(percent)} of the amount outstanding${times}`,
    amount,
  };
}

function fixedFee(perPeriod: bigint, window: FeeWindow): FeeComponent {
  const periods = periodCount(window);
  const times = periods > 1 ? ` × ${periods} periods` : '';
  const each = show(perPeriod, window.remaining.currency);
  return { label: `Fixed late fee of ${each}${times}`, summary: `${each} fixed late fee${times}`, amount: perPeriod * BigInt(periods) };
}

/** Fixed compensation is owed once per invoice, so it rides on the charge that covers period 0. */
function ukCompensation(window: FeeWindow): FeeComponent[] {
  if (window.firstPeriod !== 0) return [];
  const { amount, currency } = window.remaining;
  if (currency !== 'gbp') {
    return [{ label: 'No fixed compensation: the Late Payment Act’s £40/£70/£100 applies to GBP debts only', summary: null, amount: 0n }];
  }
  const tier = UK_COMPENSATION_TIERS.find((t) => t.belowPounds === null || BigInt(amount) < majorToMinor(t.belowPounds, currency));
  if (!tier) throw new Error('UK compensation tiers must end with an open-ended tier');
  const compensation = majorToMinor(tier.pounds, currency);
  const shown = show(compensation, currency);
  return [{ label: `Fixed compensation for ${tier.debt} (Late Payment Act)`, summary: `${shown} fixed compensation`, amount: compensation }];
}

function euCompensation(window: FeeWindow): FeeComponent[] {
  if (window.firstPeriod !== 0) return [];
  const { currency } = window.remaining;
  if (currency !== 'eur') {
    return [{ label: 'No fixed compensation: the Late Payment Directive’s €40 applies to EUR debts only', summary: null, amount: 0n }];
  }
  const compensation = majorToMinor(EU_COMPENSATION_EUROS, currency);
  const shown = show(compensation, currency);
  return [{ label: 'Fixed compensation per late invoice (EU Late Payment Directive)', summary: `${shown} fixed compensation`, amount: compensation }];
}

const periodCount = (window: FeeWindow): number => window.lastPeriod - window.firstPeriod + 1;
