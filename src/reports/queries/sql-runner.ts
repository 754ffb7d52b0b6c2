import type { PeriodBounds } from '../domain/report-period';
import type { ReportColumn } from '../domain/report-table';

/** Runs one read-only statement inside the report's transaction. */
export type SqlRunner = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** Settings the reports share with detection, so both use the same words (config/default.yaml). */
export interface ReportSettings {
  /** Days after the due date a payment still counts as on time (`detection.graceDays`). */
  graceDays: number;
  /** A voided invoice re-issued for less within this many days is a discount (`detection.discounts.reissueWindowDays`). */
  reissueWindowDays: number;
}

/** One report: its columns and the one set-based query that produces its rows (client rows and per-currency totals). */
export interface ReportDefinition {
  title: string;
  columns: ReportColumn[];
  query(run: SqlRunner, bounds: PeriodBounds, settings: ReportSettings): Promise<Record<string, unknown>[]>;
}

/** Columns every report starts with: what the row is, whose it is, and the one currency of its amounts. */
export const LEAD_COLUMNS: ReportColumn[] = [
  { key: 'row_type', header: 'Row', type: 'text' },
  { key: 'client_id', header: 'Client ID', type: 'text' },
  { key: 'client_name', header: 'Client', type: 'text' },
  { key: 'currency', header: 'Currency', type: 'text' },
];
