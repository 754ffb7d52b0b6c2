import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { notFound } from '../../common/errors';
import { NoQuery } from '../../common/http';
import { findClient } from '../../ledger/queries/clients.query';
import { clientPricing } from '../persistence/client-pricing.query';
import { workStatusOf } from '../persistence/work-status.query';
import { WorkStatusParamsDto } from './work-status.schemas';

/** What other tools ask payrisk about a client: is work paused (`work-status`), and at what prices (`pricing`). */
@ApiTags('clients')
@ApiBearerAuth()
@Controller('clients')
export class WorkStatusController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get(':id/work-status')
  async get(@Param() { id }: WorkStatusParamsDto, @NoQuery() _query: unknown) {
    const client = await workStatusOf(this.dataSource.manager, id);
    if (!client) throw notFound('Client', id);
    return {
      customerId: client.id,
      workStatus: client.work_status,
      since: client.applied_at?.toISOString() ?? null,
      reason: client.reason,
      actionId: client.action_id,
    };
  }

  /** `GET /api/clients/:id/pricing`: the applied price increase (new Stripe schedules, or the rate multiplier for ad-hoc work), or `{ pricing: null }`. */
  @Get(':id/pricing')
  async pricing(@Param() { id }: WorkStatusParamsDto, @NoQuery() _query: unknown) {
    const client = await findClient(this.dataSource.manager, id);
    if (!client) throw notFound('Client', id);
    return { customerId: id, pricing: await clientPricing(this.dataSource.manager, id) };
  }
}
