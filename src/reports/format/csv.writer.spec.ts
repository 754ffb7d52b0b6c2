import type { ReportResult } from '../domain/report-table';
import { toCsv } from './csv.writer';

const report = (rows: ReportResult['rows']): ReportResult => ({
  report: 'aging',
  title: 'Aging',
  asOf: '2026-03-31',
  from: '2026-01-01',
  to: '2026-03-31',
  columns: [
    { key: 'client_name', header: 'Client', type: 'text' },
    { key: 'currency', header: 'Currency', type: 'text' },
    { key: 'total', header: 'Total', type: 'money' },
    { key: 'share', header: 'Share', type: 'share' },
    { key: 'on', header: 'On', type: 'date' },
  ],
  rows,
});

describe('CSV writer', () => {
  it('writes a header row, major units per currency and ISO dates', () => {
    const csv = toCsv(
      report([
        { client_name: 'Alpha', currency: 'eur', total: 170000, share: 0.25, on: '2026-03-31' },
        { client_name: 'Kaisha', currency: 'jpy', total: 1200, share: null, on: null },
        { client_name: 'Refund', currency: 'kwd', total: -1500, share: 0, on: null },
      ]),
    );
    expect(csv).toBe('client_name,currency,total,share,on\r\nAlpha,eur,1700.00,0.25,2026-03-31\r\nKaisha,jpy,1200,,\r\nRefund,kwd,-1.500,0,\r\n');
  });

  it('quotes commas, quotes and line breaks, and defuses formulas in text', () => {
    const csv = toCsv(
      report([
        { client_name: 'Smith, "Jones"\nand Co', currency: 'usd', total: 5, share: null, on: null },
        { client_name: '=HYPERLINK("x")', currency: 'usd', total: -5, share: null, on: null },
      ]),
    );
    expect(csv.split('\r\n')[1]).toBe('"Smith, ""Jones""\nand Co",usd,0.05,,');
    expect(csv.split('\r\n')[2]).toBe(`"'=HYPERLINK(""x"")",usd,-0.05,,`);
  });
});
