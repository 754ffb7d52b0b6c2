import { MoneyInputError } from './money-input-error';

/**
 * Minor-unit exponents per ISO 4217 code, as Stripe uses them.
 * Zero-decimal currencies (JPY, KRW, ...) are charged in whole units; three-decimal
 * ones (BHD, KWD, ...) in thousandths. Everything else has two decimals.
 */
const ZERO_DECIMAL = ['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf'];
const THREE_DECIMAL = ['bhd', 'jod', 'kwd', 'omr', 'tnd'];

export function normalizeCurrency(currency: string): string {
  const code = currency.trim().toLowerCase();
  if (!/^[a-z]{3}$/.test(code)) throw new MoneyInputError(`Invalid currency code "${currency}": expected three letters like eur`, { field: 'currency' });
  return code;
}

export function currencyExponent(currency: string): number {
  const code = normalizeCurrency(currency);
  if (ZERO_DECIMAL.includes(code)) return 0;
  if (THREE_DECIMAL.includes(code)) return 3;
  return 2;
}
