import { ReportPeriod } from '../../../src/reports/domain/report-period';
import type { ReportName, ReportResult, ReportRow } from '../../../src/reports/domain/report-table';
import { ReportsService } from '../../../src/reports/reports.service';
import { createTestDatabase, TestDatabase } from '../../support/test-database';
import { seedReportLedger } from './report-ledger';

/** The default policy's settings: 3 grace days, void re-issued within 30 days. */
export const SETTINGS = { graceDays: 3, reissueWindowDays: 30 };

/** A migrated database of its own with the hand-computed ledger, for one test file. */
export function useReportLedger() {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedReportLedger(db.dataSource);
  });
  afterAll(async () => db.drop());
  return {
    db: () => db,
    run: (name: ReportName, period: Partial<ReportPeriod> & { asOf: string }): Promise<ReportResult> =>
      new ReportsService(db.dataSource, SETTINGS).run(name, { from: period.asOf, to: period.asOf, ...period }),
  };
}

/** The named columns of every row, so a test states exactly the numbers it checks. */
export const columnsOf = (result: ReportResult, keys: string[]): ReportRow[] =>
  result.rows.map((row) => Object.fromEntries(keys.map((key) => [key, row[key]])));

/**
 * A currency's total row when one client makes it up: that client's figures, no client id, and null
 * where a column judges one client (its level, its flags).
 */
export const soleClientTotal = (row: ReportRow, perClient: string[] = []): ReportRow => ({
  ...row,
  row_type: 'total',
  client_id: null,
  ...Object.fromEntries(perClient.map((key) => [key, null])),
});
