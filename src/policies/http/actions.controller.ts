import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { NoQuery } from '../../common/http';
import { actionView } from '../action-view';
import { ActionsService } from '../actions.service';
import { ActionIdParamsDto, ActionListQueryDto } from './actions.schemas';

/** The owner's actions: list, inspect with the audit trail, approve, reject, waive. */
@ApiTags('actions')
@ApiBearerAuth()
@Controller('actions')
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Get()
  async list(@Query() query: ActionListQueryDto) {
    return (await this.actions.list({ status: query.status, kind: query.kind, clientId: query.customerId })).map(actionView);
  }

  @Get(':id')
  async get(@Param() { id }: ActionIdParamsDto, @NoQuery() _query: unknown) {
    const action = await this.actions.get(id);
    return { ...actionView(action), audit: action.audit };
  }

  @Post(':id/approve')
  @HttpCode(200)
  async approve(@Param() { id }: ActionIdParamsDto, @NoQuery() _query: unknown) {
    return actionView(await this.actions.approve(id, 'api'));
  }

  @Post(':id/reject')
  @HttpCode(200)
  async reject(@Param() { id }: ActionIdParamsDto, @NoQuery() _query: unknown) {
    return actionView(await this.actions.reject(id, 'api'));
  }

  @Post(':id/waive')
  @HttpCode(200)
  async waive(@Param() { id }: ActionIdParamsDto, @NoQuery() _query: unknown) {
    return actionView(await this.actions.waive(id, 'api'));
  }
}
