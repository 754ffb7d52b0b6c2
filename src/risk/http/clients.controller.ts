import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CLOCK, Clock } from '../../common/clock';
import { invalidInput, notFound } from '../../common/errors';
import { DiscountRequestService, NewDiscountRequest } from '../discount-request.service';
import { RiskAssessmentService } from '../risk-assessment.service';

const LEVELS = ['ok', 'watch', 'risky', 'critical'];
const FLAGS = ['chronic_late_payer', 'repeated_discount_demands', 'arrears', 'disputes', 'slipping'];

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
  @ApiQuery({ name: 'level', required: false, enum: LEVELS })
  @ApiQuery({ name: 'flag', required: false, enum: FLAGS })
  async list(@Query('level') level?: string, @Query('flag') flag?: string) {
    if (level && !LEVELS.includes(level)) throw invalidInput(`level: expected one of ${LEVELS.join(', ')}`, { field: 'level' });
    if (flag && !FLAGS.includes(flag)) throw invalidInput(`flag: expected one of ${FLAGS.join(', ')}`, { field: 'flag' });
    return (await this.assessments.latest({ level, flag })).map(({ customerId, name, email, level: l, score, flags, reasons, assessedAt }) => ({
      customerId,
      name,
      email,
      level: l,
      score,
      flags,
      reasons,
      assessedAt,
    }));
  }

  /** Metrics, flags, evidence, score history and open invoices with predicted payment dates. */
  @Get(':id')
  async get(@Param('id') id: string) {
    const [latest] = await this.assessments.latest({ clientId: id });
    if (!latest) throw notFound('Client (or its assessment)', id);
    return { ...latest, history: await this.assessments.history(id), openInvoices: latest.predictions };
  }

  @Post(':id/discount-requests')
  async addDiscountRequest(@Param('id') id: string, @Body() body: NewDiscountRequest) {
    return this.discountRequests.add(id, body ?? {}, 'api', this.clock.now());
  }
}
