import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CLOCK, Clock } from '../../common/clock';
import { notFound } from '../../common/errors';
import { invalidInputIssues, NoQuery } from '../../common/http';
import { DiscountRequestService } from '../discount-request.service';
import { RiskAssessmentService } from '../risk-assessment.service';
import { ClientIdParamsDto, ClientListQueryDto, NewDiscountRequestDto, REQUESTED_AT_MAX_FUTURE_DAYS, REQUESTED_AT_MAX_PAST_DAYS } from './clients.schemas';
import { DAY_MS } from '../../common/time';

@ApiTags('clients')
@ApiBearerAuth()
@Controller('clients')
export class ClientsController {
  constructor(
    private readonly assessments: RiskAssessmentService,
    private readonly discountRequests: DiscountRequestService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Every client's latest assessment, highest score first; filter by level and flag. */
  @Get()
  async list(@Query() query: ClientListQueryDto) {
    return (await this.assessments.latest({ level: query.level, flag: query.flag })).map(
      ({ customerId, name, email, level: l, score, flags, reasons, assessedAt }) => ({
        customerId,
        name,
        email,
        level: l,
        score,
        flags,
        reasons,
        assessedAt,
      }),
    );
  }

  /** Metrics, flags, evidence, score history and open invoices with predicted payment dates. */
  @Get(':id')
  async get(@Param() { id }: ClientIdParamsDto, @NoQuery() _query: unknown) {
    const [latest] = await this.assessments.latest({ clientId: id });
    if (!latest) throw notFound('Client (or its assessment)', id);
    return { ...latest, history: await this.assessments.history(id), openInvoices: latest.predictions };
  }

  /** Logs a discount the client asked for (phone, email): amount in minor units, currency, optional note and date. */
  @Post(':id/discount-requests')
  async addDiscountRequest(@Param() { id }: ClientIdParamsDto, @Body() body: NewDiscountRequestDto, @NoQuery() _query: unknown) {
    const now = this.clock.now();
    if (body.requestedAt !== undefined) {
      const at = Date.parse(body.requestedAt);
      if (at < now.getTime() - REQUESTED_AT_MAX_PAST_DAYS * DAY_MS || at > now.getTime() + REQUESTED_AT_MAX_FUTURE_DAYS * DAY_MS) {
        throw invalidInputIssues([
          { path: 'requestedAt', message: `expected a date within the last ${REQUESTED_AT_MAX_PAST_DAYS} days and not in the future` },
        ]);
      }
    }
    return this.discountRequests.add(id, body, 'api', now);
  }
}
