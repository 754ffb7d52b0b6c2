/**
 * Exact fractions for late-fee maths. Rates come from YAML as floats (5.25, 0.1); reading them
 * back through their shortest decimal form recovers the number the owner typed, so
 * 500000 × 13.25% × 35/365 is computed exactly and rounded once, not accumulated in binary floats.
 */
export interface Ratio {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export const ratio = (numerator: bigint | number, denominator: bigint | number = 1n): Ratio => {
  const den = BigInt(denominator);
  if (den <= 0n) throw new RangeError('A ratio needs a positive denominator');
  return { numerator: BigInt(numerator), denominator: den };
};

/** The decimal the owner wrote: 5.25 → 525/100, 1e-7 → 1/10000000. Non-negative finite numbers only. */
export function decimalRatio(value: number): Ratio {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`Expected a non-negative number, got ${value}`);
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(value));
  if (!match) throw new RangeError(`Cannot read ${value} as a decimal`);
  const [, whole, fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText) - fraction.length;
  const digits = BigInt(whole + fraction);
  return exponent >= 0 ? ratio(digits * 10n ** BigInt(exponent)) : ratio(digits, 10n ** BigInt(-exponent));
}

export const addRatios = (a: Ratio, b: Ratio): Ratio => ratio(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator);

export const multiplyRatios = (...factors: Ratio[]): Ratio =>
  factors.reduce((product, factor) => ratio(product.numerator * factor.numerator, product.denominator * factor.denominator), ratio(1n));

/** Half-up to a whole number of minor units (x.5 → x+1). Fees are never negative, so "up" is away from zero. */
export function roundHalfUp(value: Ratio): bigint {
  if (value.numerator < 0n) throw new RangeError('Late-fee amounts are never negative');
  return (2n * value.numerator + value.denominator) / (2n * value.denominator);
}

/** Rounds down; used for caps, which must never be exceeded by rounding. */
export function floorRatio(value: Ratio): bigint {
  if (value.numerator < 0n) throw new RangeError('Late-fee amounts are never negative');
  return value.numerator / value.denominator;
}

export function toSafeNumber(value: bigint): number {
  const result = Number(value);
  if (!Number.isSafeInteger(result)) throw new RangeError(`Amount ${value} is too large for integer minor units`);
  return result;
}

/**
 * A rate in percent for text: at least two decimals ("12.00%"), more only when the owner's
 * rate has them ("13.125%"), so a description never misstates the rate it charged.
 */
export function formatPercent(percent: Ratio): string {
  for (let decimals = 2; decimals <= 8; decimals += 1) {
    const scaled = percent.numerator * 10n ** BigInt(decimals);
    if (scaled % percent.denominator === 0n) return `${withDecimals(scaled / percent.denominator, decimals)}%`;
  }
  return `${withDecimals(roundHalfUp(multiplyRatios(percent, ratio(10n ** 8n))), 8)}%`;
}

function withDecimals(scaled: bigint, decimals: number): string {
  const digits = scaled.toString().padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
