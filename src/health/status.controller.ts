import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AcrossAccounts } from '../auth/account-access.decorator';
import { NoQuery } from '../common/http';
import { APP_CONFIG, AppConfig } from '../config';

/** A small authenticated endpoint: which mode the instance runs in, without any secret. */
@ApiTags('status')
@ApiBearerAuth()
@AcrossAccounts()
@Controller('status')
export class StatusController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  status(@NoQuery() _query: unknown) {
    return {
      version: '0.1.0',
      database: this.config.database.url ? 'external' : 'embedded',
      stripe: this.config.stripe.secretKey ? (this.config.stripe.apiBase ? 'custom-base' : 'stripe') : 'sandbox',
      mail: this.config.mail.smtpUrl ? 'smtp' : 'outbox',
      policyFile: this.config.policyFilePath,
    };
  }
}
