import { money } from '../../common/money';

export const REPORT_NAMES = ['aging', 'dso', 'behaviour', 'fees', 'discounts'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];
export const isReportName = (value: string): value is ReportName => (REPORT_NAMES as readonly string[]).includes(value);

/**
 * How a column's cells are typed, which decides every format:
 * money = integer minor units of the row's `currency` (major units in CSV/JSON, a number with
 * the currency's format in XLSX); date = `YYYY-MM-DD`; days = a decimal number of days;
 * share = a fraction 0..1; url = a link (a hyperlink in XLSX, left out of the terminal table).
 */
export type ColumnType = 'text' | 'date' | 'money' | 'count' | 'days' | 'share' | 'url';

export interface ReportColumn {
  key: string;
  header: string;
  type: ColumnType;
}

export type CellValue = string | number | null;
export type ReportRow = Record<string, CellValue>;

/** One report, as run: every format is rendered from this. Rows always carry `row_type` and `currency`. */
export interface ReportResult {
  report: ReportName;
  title: string;
  asOf: string;
  from: string;
  to: string;
  columns: ReportColumn[];
  rows: ReportRow[];
}

/**
 * Typed cells from a raw database row (pg returns bigint and numeric as strings). Money must
 * be a safe integer: a sum beyond 2^53 minor units stops the report rather than rounding.
 */
export function normalizeRow(columns: ReportColumn[], raw: Record<string, unknown>): ReportRow {
  const row: ReportRow = {};
  for (const column of columns) {
    const value = raw[column.key];
    if (value === null || value === undefined) {
      row[column.key] = null;
    } else if (column.type === 'money') {
      row[column.key] = money(value as string | number, String(raw.currency)).amount;
    } else if (column.type === 'count' || column.type === 'days' || column.type === 'share') {
      row[column.key] = Number(value);
    } else if (value instanceof Date) {
      row[column.key] = value.toISOString().slice(0, 10);
    } else {
      row[column.key] = String(value);
    }
  }
  return row;
}
