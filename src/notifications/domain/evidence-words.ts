import { formatMoney, money } from '../../common/money';

/**
 * Turns the risk feature's evidence/reasons JSON into plain-words lines. Written
 * defensively: it knows the common field names (invoice id, amount + currency, dates,
 * days late) and falls back to "key: value" for anything else, so a change in the
 * evidence shape degrades the wording, never the email.
 */
const str = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
const day = (value: unknown): string | undefined => {
  const s = str(value);
  if (!s) return undefined;
  const date = new Date(s);
  return Number.isNaN(date.getTime()) ? s : date.toISOString().slice(0, 10);
};

function itemLine(item: unknown): string {
  if (typeof item === 'string') return item;
  if (!item || typeof item !== 'object') return String(item);
  const o = item as Record<string, unknown>;
  if (typeof o.text === 'string') return o.text;
  const parts: string[] = [];
  const kind = str(o.kind ?? o.type);
  const id = str(o.number ?? o.invoiceId ?? o.invoice_id ?? o.creditNoteId ?? o.disputeId ?? o.id);
  if (kind || id) parts.push([kind?.replace(/_/g, ' '), id].filter(Boolean).join(' '));
  const currency = str(o.currency);
  const amount = o.amount ?? o.amountRemaining ?? o.amount_remaining ?? o.total;
  if (currency && (typeof amount === 'number' || (typeof amount === 'string' && /^-?\d+$/.test(amount)))) parts.push(formatMoney(money(amount, currency)));
  const due = day(o.dueAt ?? o.due_at ?? o.dueDate);
  if (due) parts.push(`due ${due}`);
  const paid = day(o.paidAt ?? o.paid_at);
  if (paid) parts.push(`paid ${paid}`);
  const daysLate = str(o.daysLate ?? o.days_late ?? o.daysPastDue);
  if (daysLate) parts.push(`${daysLate} days late`);
  const at = day(o.date ?? o.at ?? o.createdAt ?? o.requestedAt);
  if (at) parts.push(`on ${at}`);
  const reason = str(o.reason ?? o.note);
  if (reason) parts.push(`(${reason})`);
  if (parts.length > 0) return parts.join(', ');
  return Object.entries(o)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

export function evidenceLines(evidence: unknown, maxPerFlag = 8): { flag: string; lines: string[] }[] {
  if (!evidence || typeof evidence !== 'object') return [];
  const entries = Array.isArray(evidence) ? [['evidence', evidence] as const] : Object.entries(evidence as Record<string, unknown>);
  return entries
    .map(([flag, items]) => {
      const list = Array.isArray(items) ? items : [items];
      const lines = list.slice(0, maxPerFlag).map(itemLine);
      if (list.length > maxPerFlag) lines.push(`… and ${list.length - maxPerFlag} more`);
      return { flag: flag.replace(/_/g, ' '), lines };
    })
    .filter((group) => group.lines.length > 0);
}

export function reasonLines(reasons: unknown): string[] {
  if (!reasons) return [];
  const list = Array.isArray(reasons) ? reasons : typeof reasons === 'object' ? Object.values(reasons as Record<string, unknown>) : [reasons];
  return list.map((r) => {
    if (typeof r === 'string') return r;
    if (r && typeof r === 'object') {
      const o = r as Record<string, unknown>;
      return str(o.text ?? o.reason ?? o.message ?? o.summary) ?? JSON.stringify(o);
    }
    return String(r);
  });
}
