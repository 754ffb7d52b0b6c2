import type { ReportName } from '../domain/report-table';
import { agingReport } from './aging.query';
import { behaviourReport } from './behaviour.query';
import { discountsReport } from './discounts.query';
import { dsoReport } from './dso.query';
import { feesReport } from './fees.query';
import type { ReportDefinition } from './sql-runner';

export const REPORT_DEFINITIONS: Record<ReportName, ReportDefinition> = {
  aging: agingReport,
  dso: dsoReport,
  behaviour: behaviourReport,
  fees: feesReport,
  discounts: discountsReport,
};
