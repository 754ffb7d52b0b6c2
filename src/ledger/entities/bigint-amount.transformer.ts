import type { ValueTransformer } from 'typeorm';

/**
 * pg returns bigint as string to avoid precision loss. Minor-unit amounts fit in a
 * JS safe integer (±9e15), so they are converted, and anything larger fails loudly.
 */
export const bigintAmount: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => {
    if (value === null || value === undefined) return value;
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed)) throw new RangeError(`amount ${value} exceeds the safe integer range`);
    return parsed;
  },
};
