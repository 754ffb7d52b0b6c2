import type { DataSource } from 'typeorm';
import { settingFor, type PerAccount } from '../config';
import { periodBounds, ReportPeriod } from './domain/report-period';
import { normalizeRow, ReportName, ReportResult } from './domain/report-table';
import { REPORT_DEFINITIONS } from './queries/report-definitions';
import type { ReportDefinition, ReportSettings } from './queries/sql-runner';

/**
 * Runs a report in one READ ONLY, REPEATABLE READ transaction: the report can never write,
 * and every part of it sees the same snapshot even while a sync is writing.
 */
export class ReportsService {
  constructor(
    private readonly dataSource: DataSource,
    /** Fixed, or the scoped account's (its policy file's detection settings) in the server. */
    private readonly settings: PerAccount<ReportSettings>,
    private readonly definitions: Record<ReportName, ReportDefinition> = REPORT_DEFINITIONS,
  ) {}

  async run(name: ReportName, period: ReportPeriod): Promise<ReportResult> {
    const definition = this.definitions[name];
    const settings = await settingFor(this.settings);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      // Sorting and grouping a million invoices fits in memory with this much per operation.
      await runner.query(`SET LOCAL work_mem = '64MB'`);
      const raw = await definition.query((sql, params) => runner.query(sql, params), periodBounds(period), settings);
      await runner.query('COMMIT');
      return { report: name, title: definition.title, ...period, columns: definition.columns, rows: raw.map((row) => normalizeRow(definition.columns, row)) };
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}

export const reportSettingsFrom = (detection: { graceDays: number; discounts: { reissueWindowDays: number } }): ReportSettings => ({
  graceDays: detection.graceDays,
  reissueWindowDays: detection.discounts.reissueWindowDays,
});
