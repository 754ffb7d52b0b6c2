import { currencyExponent } from '../../common/money';
import type { ColumnType } from '../domain/report-table';

/** The currency's own symbol as Excel should show it: "$" for USD, "€" for EUR, "CA$" for CAD. */
export function currencySymbol(currency: string): string {
  const parts = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).formatToParts(0);
  return parts.find((part) => part.type === 'currency')?.value ?? currency.toUpperCase();
}

/** An Excel number format for amounts in major units: symbol, thousands and the currency's decimals. */
export function currencyNumFmt(currency: string): string {
  const decimals = currencyExponent(currency);
  const number = decimals === 0 ? '#,##0' : `#,##0.${'0'.repeat(decimals)}`;
  const symbol = `"${currencySymbol(currency).replace(/"/g, '')}"`;
  return `${symbol}${number};-${symbol}${number}`;
}

/** Number formats of the typed, non-money columns. */
export const NUM_FMT: Partial<Record<ColumnType, string>> = {
  date: 'yyyy-mm-dd',
  count: '0',
  days: '0.0',
  share: '0.0%',
};
