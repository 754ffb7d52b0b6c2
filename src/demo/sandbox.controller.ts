import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InstanceOwnerOnly } from '../auth/account-access.decorator';
import { DomainError } from '../common/errors';
import { NoQuery } from '../common/http';
import { parseDuration } from './duration';
import { SandboxPipeline } from './sandbox-pipeline.service';
import { AdvanceSandboxDto } from './sandbox.schemas';

/**
 * The built-in sandbox while `payrisk start` runs on it: where it is, and moving its clock.
 * One sandbox serves every demo business (`start --businesses N`), so it is the instance
 * owner's, not one account's: moving it runs every business's pipeline.
 */
@ApiTags('sandbox')
@ApiBearerAuth()
@InstanceOwnerOnly()
@Controller('sandbox')
export class SandboxController {
  constructor(private readonly pipeline: SandboxPipeline) {}

  @Get()
  info(@NoQuery() _query: unknown) {
    const sandbox = this.requireSandbox();
    return { url: sandbox.url, secretKey: sandbox.secretKey, accountId: sandbox.accountId, now: sandbox.now().toISOString() };
  }

  /**
   * Body `{"duration": "7d"}` (or `{"seconds": N}`, at most two years a call): advances the sandbox clock, then syncs,
   * detects, applies the policies and sends the emails.
   */
  @Post('advance')
  @HttpCode(200)
  async advance(@Body() body: AdvanceSandboxDto, @NoQuery() _query: unknown) {
    this.requireSandbox();
    return this.pipeline.advance(body.duration !== undefined ? parseDuration(body.duration) : (body.seconds ?? 0));
  }

  private requireSandbox() {
    const sandbox = this.pipeline.sandbox;
    if (!sandbox) throw new DomainError('not_found', 'payrisk is connected to a real Stripe account (STRIPE_SECRET_KEY): there is no sandbox to move');
    return sandbox;
  }
}
