/** A slice of a type's objects by `created` (unix seconds): gte ≤ created < lt; an open end is unbounded. */
export interface CreatedRange {
  gte?: number;
  lt?: number;
}

/**
 * Splits [oldest, newest] into `count` ranges of equal width that together cover every
 * possible `created`: the first is open below (objects older than the estimate of the
 * oldest still belong somewhere), the last open above (objects created during the backfill
 * are listed too, or caught up from events). Ranges never overlap, so parallel workers
 * never write the same object.
 */
export function splitCreated(oldest: number, newest: number, count: number): CreatedRange[] {
  const span = newest + 1 - oldest;
  const n = Math.max(1, Math.min(Math.floor(count), span));
  if (n === 1 || !Number.isFinite(span)) return [{}];
  const bounds = Array.from({ length: n - 1 }, (_, i) => oldest + Math.floor((span * (i + 1)) / n));
  return Array.from({ length: n }, (_, i) => ({
    ...(i > 0 ? { gte: bounds[i - 1] } : {}),
    ...(i < n - 1 ? { lt: bounds[i] } : {}),
  }));
}

/** The created filter for a list request. */
export function createdFilter(range: CreatedRange): { gte?: number; lt?: number } | undefined {
  return range.gte === undefined && range.lt === undefined ? undefined : { ...range };
}
