import { isReportName, normalizeRow, ReportColumn } from './report-table';

const columns: ReportColumn[] = [
  { key: 'row_type', header: 'Row', type: 'text' },
  { key: 'currency', header: 'Currency', type: 'text' },
  { key: 'total', header: 'Total', type: 'money' },
  { key: 'invoices', header: 'Invoices', type: 'count' },
  { key: 'dso', header: 'DSO', type: 'days' },
  { key: 'on', header: 'On', type: 'date' },
];

describe('report rows', () => {
  it('knows the five reports', () => {
    expect(isReportName('aging')).toBe(true);
    expect(isReportName('profit')).toBe(false);
  });

  it('types raw database values: bigint strings to minor units, numerics to numbers, dates to days', () => {
    const raw = { row_type: 'client', currency: 'eur', total: '9007199254740991', invoices: '3', dso: '62.4', on: new Date('2026-03-31T00:00:00Z'), extra: 1 };
    expect(normalizeRow(columns, raw)).toEqual({
      row_type: 'client',
      currency: 'eur',
      total: Number.MAX_SAFE_INTEGER,
      invoices: 3,
      dso: 62.4,
      on: '2026-03-31',
    });
    expect(normalizeRow(columns, { row_type: 'total', currency: 'usd', total: null, invoices: 0 })).toEqual({
      row_type: 'total',
      currency: 'usd',
      total: null,
      invoices: 0,
      dso: null,
      on: null,
    });
  });

  it('refuses money it cannot hold exactly', () => {
    expect(() => normalizeRow(columns, { row_type: 'total', currency: 'eur', total: '9007199254740993' })).toThrow(/integer number of minor units/);
  });
});
