import { Controller, Get, Inject, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CLOCK, Clock } from '../../common/clock';
import { notFound } from '../../common/errors';
import { resolveReportPeriod, todayUtc } from '../domain/report-period';
import { isReportName } from '../domain/report-table';
import { renderReport, reportJson } from '../format/render-report';
import { ReportsService } from '../reports.service';
import { ReportParamsDto, ReportQueryDto } from './reports.schemas';

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
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async get(@Param() { report }: ReportParamsDto, @Query() { asOf, from, to, format }: ReportQueryDto) {
    if (!isReportName(report)) throw notFound('Report', report);
    const period = resolveReportPeriod({ asOf, from, to }, todayUtc(this.clock.now()));
    const result = await this.reports.run(report, period);
    if (format === 'json') return reportJson(result);
    const rendered = await renderReport(result, format);
    return new StreamableFile(rendered.body, { type: rendered.contentType, disposition: `attachment; filename="${rendered.fileName}"` });
  }
}
