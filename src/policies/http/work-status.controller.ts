import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { notFound } from '../../common/errors';
import { NoQuery } from '../../common/http';
import { clientPricing } from '../persistence/client-pricing.query';
import { WorkStatusParamsDto } from './work-status.schemas';

/** What other tools ask payrisk about a client: is work paused (`work-status`), and at what prices (`pricing`). */
@ApiTags('clients')
@ApiBearerAuth()
@Controller('clients')
export class WorkStatusController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get(':id/work-status')
  async get(@Param() { id }: WorkStatusParamsDto, @NoQuery() _query: unknown) {
    const [client] = (await this.dataSource.query(
      `SELECT c.id, c.work_status, a.id AS action_id, a.reason, a.applied_at
       FROM clients c
       LEFT JOIN LATERAL (SELECT id, reason, applied_at FROM actions WHERE client_id = c.id AND kind IN ('work_pause', 'work_resume') AND status = 'applied' ORDER BY applied_at DESC LIMIT 1) a ON true
       WHERE c.id = $1`,
      [id],
    )) as { id: string; work_status: 'active' | 'paused'; action_id: string | null; reason: string | null; applied_at: Date | null }[];
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
    const [client] = (await this.dataSource.query(`SELECT id FROM clients WHERE id = $1`, [id])) as { id: string }[];
    if (!client) throw notFound('Client', id);
    return { customerId: id, pricing: await clientPricing(this.dataSource.manager, id) };
  }
}
