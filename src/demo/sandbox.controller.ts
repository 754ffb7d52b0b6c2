import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DomainError, invalidInput } from '../common/errors';
import { parseDuration } from './duration';
import { SandboxPipeline } from './sandbox-pipeline.service';

/** The built-in sandbox while `payrisk start` runs on it: where it is, and moving its clock. */
@ApiTags('sandbox')
@ApiBearerAuth()
@Controller('sandbox')
export class SandboxController {
  constructor(private readonly pipeline: SandboxPipeline) {}

  @Get()
  info() {
    const sandbox = this.requireSandbox();
    return { url: sandbox.url, secretKey: sandbox.secretKey, accountId: sandbox.accountId, now: sandbox.now().toISOString() };
  }

  /** Body `{"duration": "7d"}` (or `{"seconds": N}`): advances the sandbox clock, then syncs, detects, applies the policies and sends the emails. */
  @Post('advance')
  @HttpCode(200)
  async advance(@Body() body: { duration?: unknown; seconds?: unknown } = {}) {
    this.requireSandbox();
    let seconds: number;
    if (typeof body?.duration === 'string') {
      try {
        seconds = parseDuration(body.duration);
      } catch (error) {
        throw invalidInput(`duration: ${(error as Error).message}`, { field: 'duration' });
      }
    } else if (typeof body?.seconds === 'number' && Number.isSafeInteger(body.seconds) && body.seconds >= 0) {
      seconds = body.seconds;
    } else {
      throw invalidInput('Give {"duration": "7d"} or {"seconds": N}', { field: 'duration' });
    }
    return this.pipeline.advance(seconds);
  }

  private requireSandbox() {
    const sandbox = this.pipeline.sandbox;
    if (!sandbox) throw new DomainError('not_found', 'payrisk is connected to a real Stripe account (STRIPE_SECRET_KEY): there is no sandbox to move');
    return sandbox;
  }
}
