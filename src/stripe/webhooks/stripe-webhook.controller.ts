import { Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Public } from '../../auth/public.decorator';
import { WebhookIntake, type WebhookReceipt } from './webhook-intake';
import { STRIPE_ACCOUNT_ID } from './webhook-route';

class AccountWebhookParamsDto extends createZodDto(
  z.object({ accountId: z.string().regex(STRIPE_ACCOUNT_ID, 'expected a Stripe account id like acct_1AbC…') }).strict(),
) {}

/**
 * POST /webhooks/stripe (the environment's account), /webhooks/stripe/connect (the
 * platform's Connect endpoint) and /webhooks/stripe/:accountId (an account added by key,
 * with its own signing secret), for the deliveries the raw listener in front of Express
 * passes on (a compressed body, a charset other than UTF-8, another content type: see
 * webhook-listener.ts). Express's body parsing reads and bounds those; the intake decides
 * exactly as it does for the ones the listener answers. Also where the routes are documented.
 */
@ApiTags('webhooks')
@Controller('webhooks')
export class StripeWebhookController {
  constructor(private readonly intake: WebhookIntake) {}

  @Public()
  @Post('stripe')
  @HttpCode(200)
  receive(@Req() request: RawBodyRequest<Request>, @Headers('stripe-signature') signature?: string): Promise<WebhookReceipt> {
    return this.intake.receive(request.rawBody, signature);
  }

  @Public()
  @Post('stripe/connect')
  @HttpCode(200)
  receiveConnect(@Req() request: RawBodyRequest<Request>, @Headers('stripe-signature') signature?: string): Promise<WebhookReceipt> {
    return this.intake.receive(request.rawBody, signature, { kind: 'connect' });
  }

  @Public()
  @Post('stripe/:accountId')
  @HttpCode(200)
  receiveForAccount(
    @Req() request: RawBodyRequest<Request>,
    @Param() { accountId }: AccountWebhookParamsDto,
    @Headers('stripe-signature') signature?: string,
  ): Promise<WebhookReceipt> {
    return this.intake.receive(request.rawBody, signature, { kind: 'account', accountId });
  }
}
