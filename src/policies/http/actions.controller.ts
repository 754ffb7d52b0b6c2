import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { invalidInput } from '../../common/errors';
import { actionView } from '../action-view';
import { ActionsService } from '../actions.service';
import type { ActionStatus } from '../domain/action';

const STATUSES = ['proposed', 'approved', 'applied', 'rejected', 'failed', 'waived', 'expired'];
const KINDS = ['late_fee', 'work_pause', 'work_resume', 'price_increase'];

/** The owner's actions: list, inspect with the audit trail, approve, reject, waive. */
@ApiTags('actions')
@ApiBearerAuth()
@Controller('actions')
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Get()
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery({ name: 'kind', required: false, enum: KINDS })
  @ApiQuery({ name: 'customerId', required: false })
  async list(@Query('status') status?: string, @Query('kind') kind?: string, @Query('customerId') customerId?: string) {
    if (status && !STATUSES.includes(status)) throw invalidInput(`status: expected one of ${STATUSES.join(', ')}`, { field: 'status' });
    if (kind && !KINDS.includes(kind)) throw invalidInput(`kind: expected one of ${KINDS.join(', ')}`, { field: 'kind' });
    return (await this.actions.list({ status: status as ActionStatus | undefined, kind, clientId: customerId })).map(actionView);
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const action = await this.actions.get(id);
    return { ...actionView(action), audit: action.audit };
  }

  @Post(':id/approve')
  @HttpCode(200)
  async approve(@Param('id') id: string) {
    return actionView(await this.actions.approve(id, 'api'));
  }

  @Post(':id/reject')
  @HttpCode(200)
  async reject(@Param('id') id: string) {
    return actionView(await this.actions.reject(id, 'api'));
  }

  @Post(':id/waive')
  @HttpCode(200)
  async waive(@Param('id') id: string) {
    return actionView(await this.actions.waive(id, 'api'));
  }
}
