import { Controller, Get, Inject, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CLOCK, Clock } from '../../common/clock';
import { invalidInput, notFound } from '../../common/errors';
import { resolveReportPeriod, todayUtc } from '../domain/report-period';
import { isReportName, REPORT_NAMES } from '../domain/report-table';
import { renderReport, reportJson } from '../format/render-report';
import { ReportsService } from '../reports.service';

const HTTP_FORMATS = ['json', 'csv', 'xlsx'];

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** An accountant report as of a day (default today, UTC), for a period (default the 90 days ending at as-of). */
  @Get(':report')
  @ApiParam({ name: 'report', enum: REPORT_NAMES })
  @ApiQuery({ name: 'asOf', required: false, description: 'YYYY-MM-DD; as things stood at the end of that day (UTC)' })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD, first day of the period' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD, last day of the period (not after asOf)' })
  @ApiQuery({ name: 'format', required: false, enum: HTTP_FORMATS })
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async get(
    @Param('report') report: string,
    @Query('asOf') asOf?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('format') format = 'json',
  ) {
    if (!isReportName(report)) throw notFound('Report', report);
    if (!HTTP_FORMATS.includes(format)) throw invalidInput(`format: expected one of ${HTTP_FORMATS.join(', ')}`, { field: 'format' });
    const period = resolveReportPeriod({ asOf: asOf || undefined, from: from || undefined, to: to || undefined }, todayUtc(this.clock.now()));
    const result = await this.reports.run(report, period);
    if (format === 'json') return reportJson(result);
    const rendered = await renderReport(result, format as 'csv' | 'xlsx');
    return new StreamableFile(rendered.body, { type: rendered.contentType, disposition: `attachment; filename="${rendered.fileName}"` });
  }
}
