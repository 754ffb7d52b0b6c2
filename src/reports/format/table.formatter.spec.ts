import type { ReportResult } from '../domain/report-table';
import { toTable } from './table.formatter';

const report: ReportResult = {
  report: 'behaviour',
  title: 'Payment behaviour',
  asOf: '2026-06-30',
  from: '2026-01-01',
  to: '2026-03-31',
  columns: [
    { key: 'row_type', header: 'Row', type: 'text' },
    { key: 'client_name', header: 'Client', type: 'text' },
    { key: 'currency', header: 'Currency', type: 'text' },
    { key: 'on_time_share', header: 'On-time share', type: 'share' },
    { key: 'amount_due', header: 'Amount due', type: 'money' },
    { key: 'link', header: 'Link', type: 'url' },
  ],
  rows: [
    { row_type: 'client', client_name: 'Alpha Studio', currency: 'eur', on_time_share: 0.25, amount_due: 175000, link: 'https://x' },
    { row_type: 'total', client_name: null, currency: 'jpy', on_time_share: null, amount_due: 1200, link: null },
  ],
};

describe('terminal table', () => {
  it('prints a title, aligned columns, numbers to the right, shares as percentages, no links', () => {
    expect(toTable(report)).toBe(
      [
        "Payment behaviour as of 2026-06-30, period 2026-01-01 to 2026-03-31 (amounts in major units of each row's currency)",
        'Row     Client        Currency  On-time share  Amount due',
        'client  Alpha Studio  EUR               25.0%     1750.00',
        'total   -             JPY                   -        1200',
        '',
      ].join('\n'),
    );
  });

  it('says so when there is nothing to show', () => {
    expect(toTable({ ...report, report: 'aging', title: 'Aging', rows: [] })).toBe(
      "Aging as of 2026-06-30 (amounts in major units of each row's currency)\n(no rows)\n",
    );
  });
});
