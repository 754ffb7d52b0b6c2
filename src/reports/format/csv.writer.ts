import type { ReportResult } from '../domain/report-table';
import { plainValue } from './cell-values';

/** Text a spreadsheet would run as a formula; client names come from Stripe, i.e. from clients. */
const FORMULA_START = /^[=+\-@\t\r]/;

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * RFC 4180 CSV: a header row of column keys, CRLF line ends, ISO dates, money in major units
 * beside a currency column, empty for no value. Text cells that would start a formula get a
 * leading apostrophe (CSV injection); numbers are written as they are.
 */
export function toCsv(report: ReportResult): string {
  const lines = [report.columns.map((column) => field(column.key))];
  for (const row of report.rows) {
    lines.push(
      report.columns.map((column) => {
        const value = plainValue(column, row);
        if (value === null) return '';
        const text = String(value);
        const guarded = (column.type === 'text' || column.type === 'url') && FORMULA_START.test(text) ? `'${text}` : text;
        return field(guarded);
      }),
    );
  }
  return lines.map((cells) => `${cells.join(',')}\r\n`).join('');
}
