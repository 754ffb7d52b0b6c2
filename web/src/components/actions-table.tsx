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

/** The policy's calculation (its parameters), as "name: value" pairs. */
export function Calculation({ params }: { params: Record<string, unknown> }) {
  const entries = Object.entries(params).filter(([, value]) => value !== null && value !== undefined && typeof value !== 'object');
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="facts calc">
      {entries.map(([key, value]) => (
        <div key={key} className="pair">
          <dt>{key}</dt>
          <dd>{String(value)}</dd>
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
          {entry.toStatus} by {entry.actor}
          {entry.note ? ` (${entry.note})` : ''}
        </li>
      ))}
    </ol>
  );
}
