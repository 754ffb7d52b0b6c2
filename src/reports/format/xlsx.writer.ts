import ExcelJS from 'exceljs';
import { money, toMajorUnitsString } from '../../common/money';
import type { ReportColumn, ReportResult, ReportRow } from '../domain/report-table';
import { currencyNumFmt, NUM_FMT } from './xlsx-formats';

type XlsxCell = string | number | Date | { text: string; hyperlink: string } | null;

/** A typed cell: dates as dates, money as a number (major units), links as hyperlinks. */
function cellValue(column: ReportColumn, row: ReportRow): XlsxCell {
  const value = row[column.key];
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'money':
      // Major units through the exact decimal string; a double holds any invoice amount exactly enough for Excel.
      return Number(toMajorUnitsString(money(value, String(row.currency))));
    case 'date':
      return new Date(`${value}T00:00:00.000Z`);
    case 'url':
      return { text: String(value), hyperlink: String(value) };
    default:
      return value;
  }
}

function addSheet(workbook: ExcelJS.Workbook, name: string, report: ReportResult, rows: ReportRow[], currency: string | null): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = report.columns.map((column) => ({
    header: column.header,
    key: column.key,
    width: column.type === 'url' ? 48 : Math.max(10, column.header.length + 2),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    const added = sheet.addRow(report.columns.map((column) => cellValue(column, row)));
    report.columns.forEach((column, index) => {
      const numFmt = column.type === 'money' && currency ? currencyNumFmt(currency) : NUM_FMT[column.type];
      if (numFmt) added.getCell(index + 1).numFmt = numFmt;
    });
    if (row.row_type !== 'client' && row.row_type !== 'fee') added.font = { bold: true };
  }
}

/** Sheet names: at most 31 characters, none of []:*?/\ (Excel's rules). */
const sheetName = (text: string) => text.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);

/**
 * The report as a workbook: one sheet per currency (money columns then share one currency
 * format), header row frozen and bold, totals bold, and a last sheet saying what was run.
 */
export async function toXlsx(report: ReportResult): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'payrisk';
  workbook.title = `${report.title} as of ${report.asOf}`;
  const currencies = [...new Set(report.rows.map((row) => String(row.currency)))].sort();
  if (currencies.length === 0) addSheet(workbook, sheetName(report.title), report, [], null);
  for (const currency of currencies) {
    addSheet(
      workbook,
      sheetName(`${report.title} ${currency.toUpperCase()}`),
      report,
      report.rows.filter((row) => row.currency === currency),
      currency,
    );
  }
  const about = workbook.addWorksheet('Report');
  about.columns = [
    { header: 'Parameter', key: 'name', width: 14 },
    { header: 'Value', key: 'value', width: 60 },
  ];
  about.getRow(1).font = { bold: true };
  about.addRow(['Report', report.report]);
  for (const [label, date] of [
    ['As of', report.asOf],
    ['From', report.from],
    ['To', report.to],
  ]) {
    about.addRow([label, new Date(`${date}T00:00:00.000Z`)]).getCell(2).numFmt = 'yyyy-mm-dd';
  }
  about.addRow(['Amounts', "major units of each sheet's currency; dates in UTC"]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
