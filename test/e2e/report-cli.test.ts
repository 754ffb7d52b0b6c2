import { existsSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parseCsv } from '../integration/reports/csv-parse';
import { AGING_COLUMNS } from '../integration/reports/report-columns';
import { seedReportLedger } from '../integration/reports/report-ledger';
import { assertBuilt, freshWorkdir, runCli } from '../support/cli-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

describe('payrisk report (built CLI)', () => {
  let db: TestDatabase;
  const report = (args: string[], cwd = freshWorkdir()) => runCli(['report', ...args], { cwd, env: { DATABASE_URL: db.url, LOG_LEVEL: 'info' } });

  beforeAll(async () => {
    assertBuilt();
    db = await createTestDatabase();
    await seedReportLedger(db.dataSource);
  });
  afterAll(async () => db.drop());

  it('prints CSV on stdout with nothing else mixed in (logs go to stderr)', () => {
    const { status, stdout, stderr } = report(['aging', '--as-of', '2026-03-31', '--format', 'csv']);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    const rows = parseCsv(stdout);
    expect(rows[0]).toEqual(AGING_COLUMNS);
    expect(rows[3]).toEqual(['total', '', '', 'eur', '5', '650.00', '600.00', '700.00', '800.00', '0.00', '2750.00', '90']);
  });

  it('prints JSON and an aligned table; the period defaults to the 90 days ending at --as-of', () => {
    const json = JSON.parse(report(['behaviour', '--as-of', '2026-03-31', '--format', 'json']).stdout);
    expect([json.asOf, json.from, json.to]).toEqual(['2026-03-31', '2026-01-01', '2026-03-31']);
    expect(json.rows[0]).toEqual(expect.objectContaining({ client_id: 'cus_alpha', on_time_share: 0.25, median_days_late: 20, amount_due: '2350.00' }));

    const table = report(['dso', '--as-of', '2026-03-31', '--from', '2026-01-01', '--to', '2026-03-31']);
    expect(table.status).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe("DSO as of 2026-03-31, period 2026-01-01 to 2026-03-31 (amounts in major units of each row's currency)");
    expect(lines[1]).toMatch(
      /^Row\s+Client ID\s+Client\s+Currency\s+Receivables at end\s+Billed in period\s+Days in period\s+DSO \(standard\)\s+DSO \(countback\)$/,
    );
    expect(lines[2].split(/\s{2,}/)).toEqual(['client', 'cus_alpha', 'Alpha Studio', 'EUR', '1700.00', '2450.00', '90', '62.4', '69.8']);
    // The last column is right-aligned, so every line of the table ends at the same place.
    expect(new Set(lines.slice(1).map((line) => line.length)).size).toBe(1);
  });

  it('writes a workbook to --out, or to stdout when stdout is not a terminal', async () => {
    const cwd = freshWorkdir();
    const written = report(['fees', '--as-of', '2026-06-30', '--from', '2026-04-01', '--format', 'xlsx', '--out', 'fees.xlsx'], cwd);
    expect(written.status).toBe(0);
    expect(written.stderr).toContain('wrote late fees report (11 rows, as of 2026-06-30) to fees.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(cwd, 'fees.xlsx'));
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Late fees EUR', 'Late fees USD', 'Report']);
    expect(report(['aging', '--format', 'xlsx']).stdout.startsWith('PK')).toBe(true);
  });

  it('treats bad dates, unknown reports and reversed periods as usage errors (exit 2) before opening any database', () => {
    const cwd = freshWorkdir();
    const cases: Array<[string[], string]> = [
      [['aging', '--as-of', '25/11/2026'], 'expected a date as YYYY-MM-DD'],
      [['aging', '--as-of', '2026-02-30'], '--as-of: expected a date as YYYY-MM-DD (got "2026-02-30")'],
      [['profit'], 'aging, dso, behaviour, fees, discounts'],
      [['dso', '--from', '2026-05-01', '--to', '2026-04-01'], '--from (2026-05-01) is after --to (2026-04-01)'],
      [['aging', '--format', 'pdf'], 'table, csv, xlsx, json'],
    ];
    for (const [args, message] of cases) {
      const { status, stderr } = runCli(['report', ...args], { cwd });
      expect({ args, status, message: stderr.includes(message) }).toEqual({ args, status: 2, message: true });
    }
    expect(existsSync(join(cwd, '.payrisk'))).toBe(false);
    expect(runCli(['report', '--help'], { cwd }).status).toBe(0);
  });
});
