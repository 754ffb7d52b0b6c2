import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../auth/public.decorator';
import { WebhookIntake, type WebhookReceipt } from './webhook-intake';

/**
 * POST /webhooks/stripe, for the deliveries the raw listener in front of Express passes on
 * (a compressed body, a charset other than UTF-8, another content type: see
 * webhook-listener.ts). Express's body parsing reads and bounds those; the intake decides
 * exactly as it does for the ones the listener answers. Also where the route is documented.
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
}
