import { addRatios, decimalRatio, floorRatio, formatPercent, multiplyRatios, ratio, roundHalfUp } from './late-fee-arithmetic';

describe('late-fee arithmetic', () => {
  it('reads config floats as the decimals the owner typed', () => {
    expect(decimalRatio(5.25)).toEqual(ratio(525n, 100n));
    expect(decimalRatio(0.1)).toEqual(ratio(1n, 10n)); // not 0.1000000000000000055…
    expect(decimalRatio(8)).toEqual(ratio(8n));
    expect(decimalRatio(1e-7)).toEqual(ratio(1n, 10_000_000n));
    expect(decimalRatio(2e21)).toEqual(ratio(2n * 10n ** 21n));
    expect(() => decimalRatio(-1)).toThrow(/non-negative/);
    expect(() => decimalRatio(Number.NaN)).toThrow(/non-negative/);
  });

  it('rounds half-up and floors exactly', () => {
    expect(roundHalfUp(ratio(45n, 10n))).toBe(5n);
    expect(roundHalfUp(ratio(449n, 100n))).toBe(4n);
    expect(roundHalfUp(ratio(5n, 10n))).toBe(1n);
    expect(floorRatio(ratio(123457n, 10n))).toBe(12345n);
    // 3000 × 1.15% = 34.5 exactly; floats say 34.49999999999999
    expect(roundHalfUp(multiplyRatios(ratio(3000n), decimalRatio(1.15), ratio(1n, 100n)))).toBe(35n);
  });

  it('formats a rate with at least two decimals and never drops a digit', () => {
    expect(formatPercent(addRatios(decimalRatio(5.25), decimalRatio(8)))).toBe('13.25%');
    expect(formatPercent(decimalRatio(4))).toBe('4.00%');
    expect(formatPercent(decimalRatio(1.5))).toBe('1.50%');
    expect(formatPercent(addRatios(decimalRatio(5.125), decimalRatio(8)))).toBe('13.125%');
    expect(formatPercent(ratio(0n))).toBe('0.00%');
    expect(formatPercent(ratio(1n, 3n))).toBe('0.33333333%');
  });
});
