import type { ReportResult } from '../domain/report-table';
import { plainValue } from './cell-values';

const RIGHT_ALIGNED = new Set(['money', 'count', 'days', 'share']);

/**
 * The terminal table: a title line, then aligned columns (numbers right-aligned, money in the
 * row's currency, shares as percentages). Links are left out; CSV, XLSX and JSON carry them.
 */
export function toTable(report: ReportResult): string {
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
  const headers = columns.map((column) => column.header);
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((line) => line[i].length)));
  const render = (line: string[]) =>
    line
      .map((cell, i) => (RIGHT_ALIGNED.has(columns[i].type) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [title, render(headers), ...cells.map(render)].join('\n') + '\n';
}
