import { formatMoney, money, type Money } from '../money';

const asMoney = (value: unknown): Money | undefined => {
  if (!value || typeof value !== 'object') return undefined;
  const { amount, currency } = value as { amount?: unknown; currency?: unknown };
  if ((typeof amount !== 'number' && typeof amount !== 'string') || typeof currency !== 'string') return undefined;
  return money(amount, currency);
};

const actionNames: Record<string, string> = {
  late_fee: 'Late fee',
  work_pause: 'Pause work',
  work_resume: 'Resume work',
  price_increase: 'Price increase',
};

/** "Late fee of €12.50" — one phrase per action, shared by emails, the approval page, the CLI and the digest. */
export function describeAction(kind: string, amount?: unknown, params?: Record<string, unknown>): string {
  const name = actionNames[kind] ?? kind;
  const m = asMoney(amount);
  if (m) return `${name} of ${formatMoney(m)}`;
  if (kind === 'price_increase' && typeof params?.percent === 'number') return `${name} of ${params.percent}%`;
  return name;
}
