import type { SyncProgress } from '../sync-types';

const count = (n: number) => n.toLocaleString('en-US');

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5_400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3_600).toFixed(1)} h`;
}

/** One progress line per type: `invoices: 52,300 synced, 4,210/s, ~62% of ~84,000, ETA 8 s`. */
export function progressLine(progress: SyncProgress): string {
  const parts = [`${progress.type}: ${count(progress.synced)} synced`, `${count(progress.ratePerSecond)}/s`];
  if (progress.estimatedTotal !== undefined && progress.estimatedTotal > 0) {
    const percent = Math.min(100, Math.floor((progress.synced / progress.estimatedTotal) * 100));
    parts.push(`~${percent}% of ~${count(progress.estimatedTotal)}`);
    if (progress.etaSeconds !== undefined) parts.push(`ETA ${duration(progress.etaSeconds)}`);
  } else {
    parts.push('total not yet estimated');
  }
  return parts.join(', ');
}
