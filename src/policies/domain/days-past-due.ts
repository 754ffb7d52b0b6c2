const DAY_MS = 86_400_000;

/** Whole days since the due date (0 on the due date and before it). */
export function daysPastDue(dueAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - dueAt.getTime()) / DAY_MS));
}
