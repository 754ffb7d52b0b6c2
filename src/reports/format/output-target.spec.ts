import { outputTarget } from './output-target';

describe('report output target', () => {
  it('writes to --out when given, whatever the format', () => {
    expect(outputTarget('xlsx', 'aging.xlsx', true)).toEqual({ kind: 'file', path: 'aging.xlsx' });
    expect(outputTarget('csv', 'aging.csv', false)).toEqual({ kind: 'file', path: 'aging.csv' });
  });

  it('refuses to print a workbook on a terminal, but pipes it when stdout is not one', () => {
    expect(outputTarget('xlsx', undefined, true)).toEqual({ kind: 'refused', reason: expect.stringContaining('--out FILE.xlsx') });
    expect(outputTarget('xlsx', undefined, false)).toEqual({ kind: 'stdout' });
    expect(outputTarget('table', undefined, true)).toEqual({ kind: 'stdout' });
  });
});
