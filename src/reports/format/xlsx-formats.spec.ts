import { currencyNumFmt, currencySymbol } from './xlsx-formats';

describe('XLSX currency formats', () => {
  it('uses the currency symbol and the currency decimals', () => {
    expect(currencySymbol('eur')).toBe('€');
    expect(currencySymbol('usd')).toBe('$');
    expect(currencyNumFmt('eur')).toBe('"€"#,##0.00;-"€"#,##0.00');
    expect(currencyNumFmt('jpy')).toBe('"¥"#,##0;-"¥"#,##0');
    expect(currencyNumFmt('kwd')).toBe('"KWD"#,##0.000;-"KWD"#,##0.000');
    expect(currencyNumFmt('cad')).toBe('"CA$"#,##0.00;-"CA$"#,##0.00');
  });
});
