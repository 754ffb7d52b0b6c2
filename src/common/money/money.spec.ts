import { DomainError } from '../errors';
import {
  addMoney,
  currencyExponent,
  formatMoney,
  fromMajorUnits,
  money,
  MoneyInputError,
  normalizeCurrency,
  subtractMoney,
  sumByCurrency,
  toMajorUnitsString,
} from '.';

describe('money', () => {
  it('keeps integer minor units and rejects fractions', () => {
    expect(money(1234, 'EUR')).toEqual({ amount: 1234, currency: 'eur' });
    expect(money('9007199254740991', 'usd').amount).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => money(12.5, 'eur')).toThrow(/integer/);
    expect(() => money(1, 'euro')).toThrow(/currency/);
  });

  it('knows zero- and three-decimal currencies', () => {
    expect(currencyExponent('jpy')).toBe(0);
    expect(currencyExponent('KRW')).toBe(0);
    expect(currencyExponent('kwd')).toBe(3);
    expect(currencyExponent('gbp')).toBe(2);
  });

  it('adds and subtracts only within one currency', () => {
    expect(addMoney(money(100, 'eur'), money(250, 'eur'))).toEqual(money(350, 'eur'));
    expect(subtractMoney(money(100, 'eur'), money(250, 'eur'))).toEqual(money(-150, 'eur'));
    expect(() => addMoney(money(1, 'eur'), money(1, 'usd'))).toThrow(/eur with usd/);
  });

  it('sums per currency in a stable order', () => {
    expect(sumByCurrency([money(5, 'usd'), money(100, 'eur'), money(7, 'usd')])).toEqual([money(100, 'eur'), money(12, 'usd')]);
  });

  it('converts to and from major units exactly', () => {
    expect(toMajorUnitsString(money(123456, 'eur'))).toBe('1234.56');
    expect(toMajorUnitsString(money(5, 'eur'))).toBe('0.05');
    expect(toMajorUnitsString(money(-5, 'eur'))).toBe('-0.05');
    expect(toMajorUnitsString(money(1200, 'jpy'))).toBe('1200');
    expect(toMajorUnitsString(money(1500, 'kwd'))).toBe('1.500');
    expect(fromMajorUnits('0.29', 'eur')).toEqual(money(29, 'eur')); // 0.29 * 100 is 28.999999999999996 in floats
    expect(fromMajorUnits('1200', 'jpy')).toEqual(money(1200, 'jpy'));
    expect(() => fromMajorUnits('12.5', 'jpy')).toThrow(/decimals/);
    expect(() => fromMajorUnits('abc', 'eur')).toThrow(/not an amount/);
    expect(() => fromMajorUnits('99999999999999999999', 'eur')).toThrow(/too large/);
  });

  it('refuses typed amounts and currency codes with an invalid_input domain error naming the field', () => {
    const thrown = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return error;
      }
      throw new Error('expected a throw');
    };
    for (const [f, field] of [
      [() => fromMajorUnits('12,50', 'eur'), 'amount'],
      [() => fromMajorUnits('1.234', 'eur'), 'amount'],
      [() => fromMajorUnits('12', 'euro'), 'currency'],
      [() => normalizeCurrency('e1r'), 'currency'],
    ] as const) {
      const error = thrown(f);
      expect(error).toBeInstanceOf(MoneyInputError);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'invalid_input', details: { field } });
    }
    // Inside payrisk, a non-integer amount is a bug, not input: not a domain error (a 500).
    expect(thrown(() => money(12.5, 'eur'))).not.toBeInstanceOf(DomainError);
  });

  it('formats in the currency with its own decimals', () => {
    expect(formatMoney(money(123450, 'eur'))).toBe('€1,234.50');
    expect(formatMoney(money(1200, 'jpy'))).toBe('JP¥1,200');
    expect(formatMoney(money(4000, 'gbp'))).toBe('£40.00');
  });
});
