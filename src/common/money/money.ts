import { currencyExponent, normalizeCurrency } from './currency';
import { MoneyInputError } from './money-input-error';

/** An amount in integer minor units of a currency (cents, yen, fils), as Stripe stores it. Never a float. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

export function money(amount: number | bigint | string, currency: string): Money {
  const value = typeof amount === 'number' ? amount : Number(amount);
  if (!Number.isSafeInteger(value)) throw new RangeError(`Money amount must be an integer number of minor units, got ${String(amount)}`);
  return { amount: value, currency: normalizeCurrency(currency) };
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`Cannot combine ${a.currency} with ${b.currency}`);
}

export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

/** Sums amounts per currency; the result is sorted by currency code so output is stable. */
export function sumByCurrency(items: Money[]): Money[] {
  const totals = new Map<string, number>();
  for (const item of items) totals.set(item.currency, (totals.get(item.currency) ?? 0) + item.amount);
  return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => money(amount, currency));
}

/** Major units as an exact decimal string ("12.34", "1200" for JPY), for CSV and APIs. */
export function toMajorUnitsString(m: Money): string {
  const exponent = currencyExponent(m.currency);
  const negative = m.amount < 0;
  const digits = Math.abs(m.amount)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Parses a major-unit amount ("12.5", "1200") into minor units without floating-point error. */
export function fromMajorUnits(value: string, currency: string): Money {
  const exponent = currencyExponent(currency);
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new MoneyInputError(`"${value}" is not an amount; expected digits like 12.50`, { field: 'amount' });
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > exponent)
    throw new MoneyInputError(`"${value}" has more decimals than ${currency.toUpperCase()} allows (${exponent})`, { field: 'amount' });
  const minor = Number(whole + fraction.padEnd(exponent, '0'));
  if (!Number.isSafeInteger(minor)) throw new MoneyInputError(`"${value}" is too large an amount`, { field: 'amount' });
  return money(sign ? -minor : minor, currency);
}

/** Human formatting in the invoice's own currency, e.g. "€1,234.50", "¥1,200". */
export function formatMoney(m: Money, locale = 'en-GB'): string {
  const formatter = formatterFor(m.currency, locale);
  // Intl takes a number; divide via the exact decimal string to avoid float drift on large amounts.
  return formatter.format(Number(toMajorUnitsString(m)));
}

// Building an Intl formatter is far slower than using one; detection formats thousands of amounts per run.
const formatters = new Map<string, Intl.NumberFormat>();
function formatterFor(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale}:${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const exponent = currencyExponent(currency);
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    formatters.set(key, formatter);
  }
  return formatter;
}
