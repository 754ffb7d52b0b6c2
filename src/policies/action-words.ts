import { formatMoney, money } from '../common/money';
import type { ActionRecord } from './persistence/action-row';

/**
 * What an action's calculation is, in words, for every surface that shows it: the one-click
 * approval page, the dashboard's inbox and the client page read this one definition.
 * The rows: preset, days past due, fee period, each fee component (rate × principal × days, as
 * the fee arithmetic labelled it), minimum and cap adjustments, the fee. Pure.
 */
export function actionCalculation(action: Pick<ActionRecord, 'kind' | 'params' | 'amount'>): { label: string; value: string }[] {
  const p = action.params;
  const rows: { label: string; value: string }[] = [];
  if (action.kind === 'late_fee') {
    if (typeof p.preset === 'string') rows.push({ label: 'Preset', value: p.preset.replace(/_/g, ' ') });
    if (typeof p.daysPastDue === 'number') rows.push({ label: 'Days past due', value: String(p.daysPastDue) });
    if (typeof p.period === 'number') rows.push({ label: 'Fee period', value: `${p.period + 1}` });
    for (const line of (p.breakdown ?? []) as { label: string; amount: { amount: number; currency: string } }[]) {
      rows.push({ label: line.label, value: formatMoney(money(line.amount.amount, line.amount.currency)) });
    }
    if (action.amount) rows.push({ label: 'Fee', value: formatMoney(action.amount) });
    if (typeof p.description === 'string') rows.push({ label: 'How', value: p.description });
  }
  if (action.kind === 'price_increase' && typeof p.percent === 'number') rows.push({ label: 'Increase', value: `${p.percent}%` });
  if ((action.kind === 'work_pause' || action.kind === 'work_resume') && Array.isArray(p.arrears)) {
    const arrears = (p.arrears as { amount: number; currency: string }[]).map((m) => formatMoney(money(m.amount, m.currency))).join(' + ');
    if (arrears) rows.push({ label: 'Arrears', value: arrears });
    if (typeof p.oldestDaysPastDue === 'number') rows.push({ label: 'Oldest past due', value: `${p.oldestDaysPastDue} days` });
  }
  return rows;
}
