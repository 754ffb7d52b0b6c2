/** Small order statistics over whole numbers; empty input gives 0. */
export function percentile(values: number[], p: number): number {
  return percentiles(values, [p])[0];
}

/** Several percentiles with one sort (linear interpolation between ranks). */
export function percentiles(values: number[], ps: number[]): number[] {
  if (values.length === 0) return ps.map(() => 0);
  return percentilesOfSorted(
    [...values].sort((a, b) => a - b),
    ps,
  );
}

/** Percentiles of values already sorted ascending (linear interpolation between ranks). */
export function percentilesOfSorted(sorted: ArrayLike<number>, ps: number[]): number[] {
  if (sorted.length === 0) return ps.map(() => 0);
  return ps.map((p) => {
    const rank = (p / 100) * (sorted.length - 1);
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
  });
}

export const median = (values: number[]): number => percentile(values, 50);
export const mean = (values: number[]): number => (values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length);
export const round1 = (value: number): number => Math.round(value * 10) / 10;
