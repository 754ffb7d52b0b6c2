import { formatMoney, money } from '../common/money';
import type { Actor } from './domain/action';
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

/**
 * What happens after a proposal expired unanswered, for every surface that says it (the
 * approval page, the refusal of a late approval): an expired proposal keeps its decision's
 * place (its fee period, its client's year), so the same one is never proposed again.
 */
export function afterExpiry(kind: ActionRecord['kind']): string {
  if (kind === 'late_fee') return 'if the invoice is still unpaid, payrisk proposes the fee of its next fee period';
  if (kind === 'price_increase') return 'payrisk proposes a price increase for this client again next year at the earliest';
  return 'payrisk does not propose it again for the same invoice';
}

/** Who moved an action, in words, for the audit trails people read (the API keeps the code in `actor`). */
export function actorWords(actor: string): string {
  return (ACTOR_WORDS as Record<string, string>)[actor] ?? actor;
}

/** Every actor named: a new one in ACTORS does not compile until it has its words. */
const ACTOR_WORDS: Record<Actor, string> = {
  system: 'payrisk',
  owner_link: 'the emailed link',
  api: 'the API',
  cli: 'the command line',
  dashboard: 'the dashboard',
};
