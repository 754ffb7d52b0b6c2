import { formatMoney, money, type Money } from '../money';
import { FLAG_WORDS, RISK_FLAGS } from '../vocabulary';

/**
 * Evidence in plain words, the one formatter every surface uses (emails, approval page,
 * CLI, dashboard): "INV-0014, €4,900.00, due 16 Nov, paid 21 days late",
 * "credit note CN-0003, €735.00, 4 Sep". Pure. Stripe ids never appear in a sentence: a
 * document is named by its number, or by what it is ("an invoice") when it has none.
 */
export interface EvidenceItem {
  kind: string;
  id: string;
  amount: { amount: number | string; currency: string };
  /** Due date for an invoice, the event's date otherwise (YYYY-MM-DD or ISO). */
  date: string;
  daysLate?: number;
  detail?: string;
}

/** What the ledger knows about the documents evidence points at (looked up by the caller). */
export interface EvidenceFacts {
  /** Stripe id → document number (invoices, credit notes). */
  numbers?: ReadonlyMap<string, string | null>;
  /** Invoice id → paid date (ISO) or null when unpaid. Absent: not known. */
  paidAt?: ReadonlyMap<string, string | null>;
  /** Dates within this year are written without it. */
  now?: Date;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "16 Nov" (this year) or "16 Nov 2025". */
export function shortDate(value: string | Date, now?: Date): string {
  const date = value instanceof Date ? value : new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return String(value);
  const sameYear = now && now.getUTCFullYear() === date.getUTCFullYear();
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}${sameYear ? '' : ` ${date.getUTCFullYear()}`}`;
}

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

function asMoney(value: EvidenceItem['amount']): Money | undefined {
  try {
    return money(value.amount, value.currency);
  } catch {
    return undefined;
  }
}

function numberOf(id: string | undefined, facts: EvidenceFacts, fallback: string): string {
  if (!id) return fallback;
  return facts.numbers?.get(id) ?? fallback;
}

/** One evidence item in words. */
export function describeEvidence(item: EvidenceItem, facts: EvidenceFacts = {}): string {
  const amount = asMoney(item.amount);
  const sum = amount ? formatMoney(amount) : '';
  const on = item.date ? shortDate(item.date, facts.now) : '';
  const parts = (...list: (string | undefined | false)[]) => list.filter((p): p is string => !!p).join(', ');
  switch (item.kind) {
    case 'invoice': {
      const name = facts.numbers?.get(item.id) ?? item.detail ?? 'an invoice';
      const late = item.daysLate ?? 0;
      const paid = facts.paidAt?.has(item.id) ? facts.paidAt.get(item.id) : undefined;
      const known = facts.paidAt?.has(item.id) ?? false;
      let lateness: string | undefined;
      if (known && paid) lateness = late > 0 ? `paid ${days(late)} late` : 'paid on time';
      else if (known) lateness = late > 0 ? `unpaid, ${days(late)} past due` : 'unpaid';
      else if (late > 0) lateness = `${days(late)} late or unpaid`;
      return parts(name, sum, on && `due ${on}`, lateness);
    }
    case 'credit_note':
      return parts(`credit note ${numberOf(item.id, facts, '')}`.trim(), sum, on);
    case 'coupon':
      return parts(`discount on ${facts.numbers?.get(item.id) ?? item.detail ?? 'an invoice'}`, sum, on);
    case 'void_reissue': {
      const voided = /^(\S+) voided/.exec(item.detail ?? '')?.[1];
      return parts(`${numberOf(voided, facts, 'an invoice')} voided and re-issued as ${numberOf(item.id, facts, 'a new invoice')}`, sum && `${sum} less`, on);
    }
    case 'discount_request':
      return parts('discount asked for', sum, on) + (item.detail ? ` ("${item.detail}")` : '');
    case 'dispute':
      return parts('payment dispute', sum, on, item.detail && item.detail.replace(/_/g, ' '));
    default:
      return parts(item.kind.replace(/_/g, ' '), sum, on);
  }
}

/** The heading of a flag in words ("Pays late as a habit"); never the internal code. */
export function flagWords(flag: string): string {
  return (FLAG_WORDS as Record<string, string>)[flag] ?? flag.replace(/_/g, ' ');
}

const FACTOR_WORDS: Record<string, string> = {
  how_late: 'How late',
  how_often: 'How often',
  how_recent: 'How recently',
  trend: 'Getting later',
  money_at_stake: 'Money at stake',
  discounts: 'Discounts asked for',
  disputes: 'Payment disputes',
  failed_payments: 'Failed payments',
  flagged: 'Flagged: at least watch',
};

/** A score factor's name in words ("Money at stake"); never the internal code. */
export function factorWords(factor: string): string {
  return FACTOR_WORDS[factor] ?? factor.replace(/_/g, ' ');
}

const FLAG_CODES = new RegExp(`\\b(${RISK_FLAGS.join('|')})\\b(, )?`, 'g');

/** A sentence that may carry internal flag codes ("repeated_discount_demands, arrears: raise prices…") in words. */
export function plainReason(reason: string): string {
  return reason
    .replace(FLAG_CODES, (_m, flag: string, comma?: string) => `${flagWords(flag).toLowerCase()}${comma ? '; ' : ''}`)
    .replace(/^([^:]+): /, (_m, head: string) => `${head[0].toUpperCase()}${head.slice(1)}: `);
}

/** Evidence grouped by flag, in words, at most `max` lines a flag ("… and N more"). */
export function evidenceGroups(evidence: unknown, facts: EvidenceFacts = {}, max = 8): { flag: string; lines: string[] }[] {
  if (!evidence || typeof evidence !== 'object' || Array.isArray(evidence)) return [];
  return Object.entries(evidence as Record<string, unknown>)
    .map(([flag, items]) => {
      const list = (Array.isArray(items) ? items : []).filter(
        (i): i is EvidenceItem => !!i && typeof i === 'object' && typeof (i as EvidenceItem).kind === 'string',
      );
      const lines = list.slice(0, max).map((item) => describeEvidence(item, facts));
      if (list.length > max) lines.push(`… and ${list.length - max} more`);
      return { flag: flagWords(flag), lines };
    })
    .filter((group) => group.lines.length > 0);
}

/** The Stripe ids an assessment's evidence points at (for the caller's facts lookup). */
export function evidenceIds(evidence: unknown): string[] {
  if (!evidence || typeof evidence !== 'object') return [];
  const ids = new Set<string>();
  for (const items of Object.values(evidence as Record<string, unknown>)) {
    for (const item of Array.isArray(items) ? (items as EvidenceItem[]) : []) {
      if (typeof item?.id === 'string') ids.add(item.id);
      const voided = /^(\S+) voided/.exec(item?.detail ?? '')?.[1];
      if (voided) ids.add(voided);
    }
  }
  return [...ids];
}
