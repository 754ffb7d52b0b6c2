import { Module } from '@nestjs/common';
import { StripeModule } from '../../stripe/stripe.module';
import { ConnectController } from './connect.controller';
import { ConnectService } from './connect.service';

/** Stripe Connect OAuth: GET /connect/start and GET /connect/callback. */
@Module({ imports: [StripeModule], controllers: [ConnectController], providers: [ConnectService] })
export class ConnectModule {}
