import { money, toMajorUnitsString } from '../../common/money';
import type { ReportColumn, ReportRow } from '../domain/report-table';

/**
 * A cell for interchange (JSON, CSV): money as an exact major-unit decimal string in the row's
 * currency ("1234.56", "1200" for JPY), every other value as typed. Never a float for money.
 */
export function plainValue(column: ReportColumn, row: ReportRow): string | number | null {
  const value = row[column.key];
  if (value === null || value === undefined) return null;
  if (column.type === 'money') return toMajorUnitsString(money(value, String(row.currency)));
  return value;
}

/** The rows as plain objects keyed by column, in column order. */
export const plainRows = (columns: ReportColumn[], rows: ReportRow[]) =>
  rows.map((row) => Object.fromEntries(columns.map((column) => [column.key, plainValue(column, row)])));
