import { Controller, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { actionView } from '../action-view';
import { PolicyRunner } from '../policy-runner';

/** Runs the policies now (the cron does it daily); `dryRun=true` only shows the plan. */
@ApiTags('policies')
@ApiBearerAuth()
@Controller('policies')
export class PoliciesController {
  constructor(@Inject(PolicyRunner) private readonly runner: PolicyRunner) {}

  @Post('run')
  @HttpCode(200)
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean })
  async run(@Query('dryRun') dryRun?: string) {
    const result = await this.runner.run({ dryRun: dryRun === 'true' || dryRun === '1' });
    return { ...result, actions: result.actions.map(actionView) };
  }
}
