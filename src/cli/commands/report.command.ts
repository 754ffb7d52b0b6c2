import { writeFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { DomainError } from '../../common/errors';
import type { AppConfig } from '../../config';
import { resolveReportPeriod, todayUtc } from '../../reports/domain/report-period';
import type { ReportName } from '../../reports/domain/report-table';
import { outputTarget } from '../../reports/format/output-target';
import { renderReport, ReportFormat } from '../../reports/format/render-report';
import { reportSettingsFrom, ReportsService } from '../../reports/reports.service';
import { commandRuntime } from '../command-runtime';
import { withAccount } from '../with-account';

export interface ReportCommandOptions {
  asOf?: string;
  from?: string;
  to?: string;
  format: ReportFormat;
  out?: string;
  account?: string;
}

/**
 * `payrisk report aging|dso|behaviour|fees|discounts [--as-of] [--from --to] [--format] [--out]`.
 * Dates default to today on payrisk's clock (src/cli/command-runtime.ts). Arguments are checked before the database is
 * opened; `usageError` exits with code 2. The
 * report alone goes to stdout (one-shot commands log to stderr), so CSV, JSON and even a
 * workbook can be piped.
 */
export async function reportCommand(
  config: AppConfig,
  logger: Logger,
  name: ReportName,
  options: ReportCommandOptions,
  usageError: (message: string) => never,
): Promise<void> {
  // Today on payrisk's clock: the running server's sandbox clock on the built-in sandbox.
  const runtime = await commandRuntime(config);
  let period;
  try {
    period = resolveReportPeriod({ asOf: options.asOf, from: options.from, to: options.to }, todayUtc(runtime.clock.now()), {
      asOf: '--as-of',
      from: '--from',
      to: '--to',
    });
  } catch (error) {
    if (error instanceof DomainError) usageError(`error: ${error.message}`);
    throw error;
  }
  const target = outputTarget(options.format, options.out, process.stdout.isTTY === true);
  if (target.kind === 'refused') usageError(`error: ${target.reason}`);

  const result = await withAccount(config, logger, { account: options.account, stripe: 'ifUsed', command: `report ${name}` }, ({ dataSource, account }) =>
    new ReportsService(dataSource, reportSettingsFrom(account.policy.detection)).run(name, period),
  );
  const rendered = await renderReport(result, options.format);
  if (target.kind === 'file') {
    writeFileSync(target.path, rendered.body);
    process.stderr.write(`wrote ${result.title.toLowerCase()} report (${result.rows.length} rows, as of ${result.asOf}) to ${target.path}\n`);
  } else {
    process.stdout.write(rendered.body);
  }
}
