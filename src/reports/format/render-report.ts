import type { ReportResult } from '../domain/report-table';
import { plainRows } from './cell-values';
import { toCsv } from './csv.writer';
import { toTable } from './table.formatter';
import { toXlsx } from './xlsx.writer';

export const REPORT_FORMATS = ['table', 'csv', 'xlsx', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderedReport {
  body: Buffer;
  contentType: string;
  fileName: string;
}

/** The JSON shape: parameters, the columns with their types, rows with money as major-unit strings. */
export function reportJson(report: ReportResult) {
  return {
    report: report.report,
    title: report.title,
    asOf: report.asOf,
    from: report.from,
    to: report.to,
    amounts: "major units as exact decimal strings, in each row's currency",
    columns: report.columns,
    rows: plainRows(report.columns, report.rows),
  };
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  table: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
};

const EXTENSIONS: Record<ReportFormat, string> = { table: 'txt', csv: 'csv', xlsx: 'xlsx', json: 'json' };

export async function renderReport(report: ReportResult, format: ReportFormat): Promise<RenderedReport> {
  const body =
    format === 'xlsx'
      ? await toXlsx(report)
      : Buffer.from(format === 'csv' ? toCsv(report) : format === 'json' ? `${JSON.stringify(reportJson(report), null, 2)}\n` : toTable(report), 'utf8');
  const period = report.report === 'aging' ? report.asOf : `${report.from}_${report.to}_as-of-${report.asOf}`;
  return { body, contentType: CONTENT_TYPES[format], fileName: `payrisk-${report.report}-${period}.${EXTENSIONS[format]}` };
}
