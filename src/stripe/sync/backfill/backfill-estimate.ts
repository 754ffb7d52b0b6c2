import type { CreatedRange } from './created-ranges';

export interface RangeState {
  range: CreatedRange;
  complete: boolean;
  /** `created` of the last object read (lists go newest first, so this walks down the range). */
  lastCreated?: number;
}

export interface BackfillEstimate {
  /** 0..1 of the type's `created` span walked so far. */
  fraction: number;
  estimatedTotal?: number;
  etaSeconds?: number;
}

/**
 * How far a type's backfill is, from time rather than counts (Stripe gives no totals):
 * each range is walked from its newest `created` down, so the share of its span behind
 * the last object read is its share done. Assumes objects spread evenly within a range,
 * which is why the estimate firms up as pages arrive.
 */
export function estimateBackfill(ranges: RangeState[], span: { oldest: number; newest: number }, synced: number, ratePerSecond: number): BackfillEstimate {
  let width = 0;
  let done = 0;
  for (const state of ranges) {
    const lower = state.range.gte ?? span.oldest;
    const upper = state.range.lt ?? span.newest + 1;
    const w = Math.max(1, upper - lower);
    width += w;
    if (state.complete) done += w;
    else if (state.lastCreated !== undefined) done += Math.min(w, Math.max(0, upper - state.lastCreated));
  }
  const fraction = width > 0 ? done / width : 0;
  if (fraction >= 1) return { fraction: 1, estimatedTotal: synced, etaSeconds: 0 };
  // Too early to say: a few objects at the top of a range predict nothing.
  if (fraction < 0.02 || synced === 0) return { fraction };
  const estimatedTotal = Math.max(synced, Math.round(synced / fraction));
  const etaSeconds = ratePerSecond > 0 ? Math.round((estimatedTotal - synced) / ratePerSecond) : undefined;
  return { fraction, estimatedTotal, etaSeconds };
}
