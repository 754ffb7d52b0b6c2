import type { Schemas } from '../api/client';
import { formatMoney } from '../format';

type Action = Schemas['ActionListDto_Output']['rows'][number];

export const KIND_WORDS: Record<string, string> = {
  late_fee: 'Late fee',
  work_pause: 'Pause work',
  work_resume: 'Resume work',
  price_increase: 'Price increase',
};

/** What the action does, in words: "Late fee of €15.00". */
export const actionWhat = (action: Action) =>
  `${KIND_WORDS[action.kind] ?? action.kind}${action.amount ? ` of ${formatMoney(action.amount.amount, action.amount.currency)}` : ''}`;

/** The calculation behind an action, in the words the server gives (the approval page's own). */
export function Calculation({ rows }: { rows: Action['calculation'] }) {
  if (rows.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="calc">
      {rows.map((row, index) => (
        <div key={index} className="pair">
          <dt>{row.label}</dt>
          <dd>{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function AuditTrail({ audit }: { audit: Action['audit'] }) {
  if (audit.length === 0) return <span className="muted">—</span>;
  return (
    <ol className="audit">
      {audit.map((entry, index) => (
        <li key={index}>
          {entry.at.slice(0, 16).replace('T', ' ')} {entry.fromStatus ? `${entry.fromStatus} → ` : ''}
          {entry.toStatus} by {entry.by}
          {entry.note ? ` (${entry.note})` : ''}
        </li>
      ))}
    </ol>
  );
}
