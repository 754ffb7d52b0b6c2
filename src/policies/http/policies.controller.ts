import { Controller, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { actionView } from '../action-view';
import { PolicyRunner } from '../policy-runner';
import { PolicyRunQueryDto } from './policies.schemas';

/** Runs the policies now (the cron does it daily); `dryRun=true` only shows the plan. */
@ApiTags('policies')
@ApiBearerAuth()
@Controller('policies')
export class PoliciesController {
  constructor(@Inject(PolicyRunner) private readonly runner: PolicyRunner) {}

  @Post('run')
  @HttpCode(200)
  async run(@Query() query: PolicyRunQueryDto) {
    const result = await this.runner.run({ dryRun: query.dryRun === true });
    return { ...result, actions: result.actions.map(actionView) };
  }
}
