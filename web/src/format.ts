import type { operations } from './api/schema';

/** Minor-unit exponents that differ from 2 (as Stripe lists them). */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

export const exponent = (currency: string) => (ZERO_DECIMAL.has(currency.toLowerCase()) ? 0 : THREE_DECIMAL.has(currency.toLowerCase()) ? 3 : 2);

/** Integer minor units → "€1,234.50" (zero-decimal currencies respected). */
export function formatMoney(amount: number, currency: string): string {
  const digits = exponent(currency);
  return new Intl.NumberFormat('en-GB', {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount / 10 ** digits);
}

export const formatMoneyList = (items: { amount: number; currency: string }[]) =>
  items.length === 0 ? '—' : items.map((m) => formatMoney(m.amount, m.currency)).join(', ');
export const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;
export const dateOnly = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—');
export const dateTime = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : 'never');

/** The flag and level words come from the API's OpenAPI schema (src/common/vocabulary on the server): a new word fails this typecheck until it has its words here. */
type ClientFilter = NonNullable<operations['DashboardController_clients']['parameters']['query']>;
export type Flag = NonNullable<ClientFilter['flag']>;
export type Level = NonNullable<ClientFilter['level']>;

/** The same words as the server's emails (FLAG_WORDS in src/common/vocabulary). */
export const FLAG_WORDS: Record<Flag, string> = {
  chronic_late_payer: 'Pays late as a habit',
  repeated_discount_demands: 'Keeps asking for discounts',
  arrears: 'Owes overdue money',
  disputes: 'Disputes payments',
  slipping: 'Paying later than before',
};
const LEVEL_RANK: Record<Level, number> = { ok: 0, watch: 1, risky: 2, critical: 3 };
/** Worst first. */
export const LEVELS = (Object.keys(LEVEL_RANK) as Level[]).sort((a, b) => LEVEL_RANK[b] - LEVEL_RANK[a]);
