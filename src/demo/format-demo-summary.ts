import { formatMoney } from '../common/money';
import { signInLine } from '../web-session/sign-in-line';
import type { DemoSummaryData } from './demo-summary.query';

export interface DemoLinks {
  apiDocs: string;
  outboxDir: string;
  sandboxUrl?: string;
  sandboxSecretKey?: string;
  apiTokenFile?: string;
  /** How the owner decides on proposals from here. */
  approveHint?: string;
  /** The dashboard (`<publicUrl>/`). */
  dashboardUrl?: string;
  /** The dashboard's one-time sign-in link (printed here, with the rest, so it is not lost above the summary). */
  signInUrl?: string;
  /** Where the server's log goes (the terminal gets only its warnings and errors). */
  logFile?: string;
}

const more = (shown: number, total: number) => (total > shown ? [`  … and ${total - shown} more`] : []);

/** The short summary `payrisk start` prints on the built-in sandbox once the first pipeline has run. */
export function formatDemoSummary(data: DemoSummaryData, links: DemoLinks): string {
  const lines = ['', '── payrisk is ready ──', `Clients by level: ${data.levels.map((l) => `${l.count} ${l.level}`).join(', ')}`];
  if (data.flagged.length > 0) {
    lines.push('Flagged:');
    for (const f of data.flagged) lines.push(`  ${f.level.padEnd(8)} ${String(f.score).padStart(3)}  ${f.name} (${f.customerId}): ${f.reasons.join('; ')}`);
    lines.push(...more(data.flagged.length, data.flaggedTotal));
  }
  if (data.paused.length > 0) lines.push(`Work paused until they pay: ${data.paused.join(', ')}`);
  if (data.applied.length > 0) lines.push(`Applied: ${data.applied.map((a) => `${a.count} ${a.kind}`).join(', ')}`);
  const hint = links.approveHint ?? 'links in the emails, or "npx payrisk actions approve ID"';
  lines.push(data.proposedTotal > 0 ? `Waiting for your approval (${hint}):` : 'Nothing waits for your approval.');
  for (const p of data.proposed) lines.push(`  ${p.id}  ${p.kind.padEnd(14)} ${p.clientName}${p.amount ? `  ${formatMoney(p.amount)}` : ''}`);
  lines.push(...more(data.proposed.length, data.proposedTotal));
  if (links.dashboardUrl) lines.push(`Dashboard: ${links.dashboardUrl}`);
  if (links.signInUrl) lines.push(`  ${signInLine(links.signInUrl)}`);
  lines.push(`Owner emails: ${links.outboxDir}`);
  lines.push(`API docs: ${links.apiDocs}${links.apiTokenFile ? ` (bearer token in ${links.apiTokenFile})` : ''}`);
  if (links.logFile) lines.push(`Log: ${links.logFile} (only warnings and errors show here)`);
  if (links.sandboxUrl) {
    lines.push(`Stripe sandbox: STRIPE_API_BASE=${links.sandboxUrl} STRIPE_SECRET_KEY=${links.sandboxSecretKey}`);
    lines.push('Move its clock: "npx payrisk sandbox advance 7d" (then overdue invoices, fees and pauses follow).');
  }
  return `${lines.join('\n')}\n`;
}
