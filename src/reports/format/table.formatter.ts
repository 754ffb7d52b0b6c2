import type { ReportResult } from '../domain/report-table';
import { renderTable } from '../../common/table/render-table';
import { plainValue } from './cell-values';

const RIGHT_ALIGNED = new Set(['money', 'count', 'days', 'share']);

/**
 * The terminal table: a title line, then aligned columns (numbers right-aligned, money in the
 * row's currency, shares as percentages). Links are left out; CSV, XLSX and JSON carry them.
 */
export function toTable(report: ReportResult, options: { width?: number } = {}): string {
  const period = report.report === 'aging' ? '' : `, period ${report.from} to ${report.to}`;
  const title = `${report.title} as of ${report.asOf}${period} (amounts in major units of each row's currency)`;
  const columns = report.columns.filter((column) => column.type !== 'url');
  if (report.rows.length === 0) return `${title}\n(no rows)\n`;
  const cells = report.rows.map((row) =>
    columns.map((column) => {
      const value = plainValue(column, row);
      if (value === null) return '-';
      if (column.type === 'share') return `${(Number(value) * 100).toFixed(1)}%`;
      if (column.key === 'currency') return String(value).toUpperCase();
      return String(value);
    }),
  );
  const table = renderTable(
    columns.map((column) => ({ header: column.header, align: RIGHT_ALIGNED.has(column.type) ? 'right' : 'left' })),
    cells,
    { width: options.width },
  );
  return `${title}\n${table}\n`;
}
