import ExcelJS from 'exceljs';
import { renderReport, reportJson } from '../../../src/reports/format/render-report';
import { parseCsv } from './csv-parse';
import { useReportLedger } from './report-fixture';

const EUR = '"€"#,##0.00;-"€"#,##0.00';
const USD = '"$"#,##0.00;-"$"#,##0.00';
const day = (date: string) => new Date(`${date}T00:00:00.000Z`);

async function readWorkbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  return workbook;
}

/** Every cell of a row as ExcelJS reads it back (null for empty). */
const cellsOf = (sheet: ExcelJS.Worksheet, row: number, count: number) =>
  Array.from({ length: count }, (_, i) => sheet.getRow(row).getCell(i + 1).value ?? null);
const formatsOf = (sheet: ExcelJS.Worksheet, row: number, count: number) =>
  Array.from({ length: count }, (_, i) => sheet.getRow(row).getCell(i + 1).numFmt ?? null);

describe('report formats', () => {
  const ledger = useReportLedger();

  it('CSV: a header row of column keys, then rows that parse back to the JSON rows (money in major units, ISO dates)', async () => {
    for (const [name, period] of [
      ['aging', { asOf: '2026-03-31' }],
      ['fees', { asOf: '2026-06-30', from: '2026-04-01', to: '2026-06-30' }],
    ] as const) {
      const result = await ledger.run(name, period);
      const rendered = await renderReport(result, 'csv');
      expect(rendered.contentType).toBe('text/csv; charset=utf-8');
      const [header, ...rows] = parseCsv(rendered.body.toString('utf8'));
      const json = reportJson(result);
      expect(header).toEqual(json.columns.map((column) => column.key));
      expect(rows).toEqual(json.rows.map((row) => header.map((key) => (row[key] === null ? '' : String(row[key])))));
    }
    const aging = parseCsv((await renderReport(await ledger.run('aging', { asOf: '2026-03-31' }), 'csv')).body.toString('utf8'));
    expect(aging[1]).toEqual(['client', 'cus_alpha', 'Alpha Studio', 'eur', '3', '400.00', '600.00', '700.00', '0.00', '0.00', '1700.00', '59']);
    expect(aging[6]).toEqual(['total', '', '', 'usd', '4', '60.00', '550.00', '1000.00', '0.00', '0.00', '1610.00', '45']);
    const fees = parseCsv(
      (await renderReport(await ledger.run('fees', { asOf: '2026-06-30', from: '2026-04-01', to: '2026-06-30' }), 'csv')).body.toString('utf8'),
    );
    expect(fees[1].slice(8, 16)).toEqual(['15.00', '2026-04-02', '15.00', '2026-04-03', '15.00', '2026-05-20', '', '']);
  });

  it('XLSX: one sheet per currency, frozen bold header, typed cells with the currency format, read back cell by cell', async () => {
    const result = await ledger.run('fees', { asOf: '2026-06-30', from: '2026-04-01', to: '2026-06-30' });
    const rendered = await renderReport(result, 'xlsx');
    expect(rendered.fileName).toBe('payrisk-fees-2026-04-01_2026-06-30_as-of-2026-06-30.xlsx');
    const workbook = await readWorkbook(rendered.body);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Late fees EUR', 'Late fees USD', 'Report']);

    const eur = workbook.getWorksheet('Late fees EUR') as ExcelJS.Worksheet;
    const width = result.columns.length;
    expect(eur.views[0]).toEqual(expect.objectContaining({ state: 'frozen', ySplit: 1 }));
    expect(cellsOf(eur, 1, width)).toEqual(result.columns.map((column) => column.header));
    expect(eur.getRow(1).font?.bold).toBe(true);
    expect(eur.rowCount).toBe(6);
    expect(cellsOf(eur, 2, width)).toEqual([
      'fee',
      'cus_alpha',
      'Alpha Studio',
      'eur',
      '00000000-0000-4000-8000-000000000001',
      'in_a1',
      'applied',
      1,
      15,
      day('2026-04-02'),
      15,
      day('2026-04-03'),
      15,
      day('2026-05-20'),
      null,
      null,
      'ii_fee1',
      'in_a6',
      null,
      { text: 'https://dashboard.stripe.com/test/invoices/in_a6', hyperlink: 'https://dashboard.stripe.com/test/invoices/in_a6' },
      { text: 'https://dashboard.stripe.com/test/invoices/in_a1', hyperlink: 'https://dashboard.stripe.com/test/invoices/in_a1' },
    ]);
    const formats = formatsOf(eur, 2, width);
    expect(formats.slice(7, 16)).toEqual(['0', EUR, 'yyyy-mm-dd', EUR, 'yyyy-mm-dd', EUR, 'yyyy-mm-dd', EUR, 'yyyy-mm-dd']);
    expect(cellsOf(eur, 6, width).slice(0, 16)).toEqual(['total', null, null, 'eur', null, null, null, 2, 15, null, 15, null, 15, null, 20, null]);
    expect(eur.getRow(6).font?.bold).toBe(true);

    // Every cell of every currency sheet against the report's rows, typed as the column says.
    for (const currency of ['eur', 'usd']) {
      const sheet = workbook.getWorksheet(`Late fees ${currency.toUpperCase()}`) as ExcelJS.Worksheet;
      const rows = reportJson(result).rows.filter((row) => row.currency === currency);
      expect(sheet.rowCount).toBe(rows.length + 1);
      rows.forEach((row, r) =>
        result.columns.forEach((column, c) => {
          const value = row[column.key];
          const expected =
            value === null
              ? null
              : column.type === 'money'
                ? Number(value)
                : column.type === 'date'
                  ? day(String(value))
                  : column.type === 'url'
                    ? { text: value, hyperlink: value }
                    : value;
          expect({ cell: `${r + 2}:${column.key}`, value: sheet.getRow(r + 2).getCell(c + 1).value ?? null }).toEqual({
            cell: `${r + 2}:${column.key}`,
            value: expected,
          });
        }),
      );
    }

    const usd = workbook.getWorksheet('Late fees USD') as ExcelJS.Worksheet;
    expect(usd.getRow(2).getCell(9).value).toBe(50);
    expect(usd.getRow(2).getCell(9).numFmt).toBe(USD);

    const about = workbook.getWorksheet('Report') as ExcelJS.Worksheet;
    expect(cellsOf(about, 2, 2)).toEqual(['Report', 'fees']);
    expect(cellsOf(about, 3, 2)).toEqual(['As of', day('2026-06-30')]);
  });

  it('XLSX: aging totals, shares as percentages and days as decimals', async () => {
    const aging = await readWorkbook((await renderReport(await ledger.run('aging', { asOf: '2026-03-31' }), 'xlsx')).body);
    const usd = aging.getWorksheet('Aging USD') as ExcelJS.Worksheet;
    expect(cellsOf(usd, 4, 12)).toEqual(['total', null, null, 'usd', 4, 60, 550, 1000, 0, 0, 1610, 45]);

    const behaviour = await readWorkbook(
      (await renderReport(await ledger.run('behaviour', { asOf: '2026-06-30', from: '2026-01-01', to: '2026-03-31' }), 'xlsx')).body,
    );
    const eur = behaviour.getWorksheet('Payment behaviour EUR') as ExcelJS.Worksheet;
    const alpha = eur.getRow(2);
    expect([alpha.getCell(10).value, alpha.getCell(10).numFmt]).toEqual([0.25, '0.0%']);
    expect([alpha.getCell(12).value, alpha.getCell(12).numFmt]).toEqual([53.5, '0.0']);
    expect([alpha.getCell(17).value, alpha.getCell(17).numFmt]).toEqual([1750, EUR]);
  });

  it('an empty report still has its header sheet', async () => {
    const workbook = await readWorkbook((await renderReport(await ledger.run('aging', { asOf: '2025-01-01' }), 'xlsx')).body);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Aging', 'Report']);
    expect((workbook.getWorksheet('Aging') as ExcelJS.Worksheet).getRow(1).getCell(1).value).toBe('Row');
  });
});
