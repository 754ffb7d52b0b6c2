import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AcrossAccounts } from '../../auth/account-access.decorator';
import type { AuthorizedRequest } from '../../auth/authorized-request';
import { CLOCK, Clock } from '../../common/clock';
import { NoQuery } from '../../common/http';
import { loadAccountSummary } from '../queries/account-summary.query';
import { AccountsOverviewDto } from './accounts-overview.schemas';

/** The cross-account overview: one line per account the caller may see, each computed in its own account's scope. */
@ApiTags('dashboard')
@ApiBearerAuth()
@AcrossAccounts()
@Controller('dashboard/accounts')
export class AccountsOverviewController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Receivables, overdue, this month's DSO, clients at risk and approvals waiting, per account (by name). */
  @Get()
  @ApiOkResponse({ type: AccountsOverviewDto.Output })
  async accounts(@Req() req: AuthorizedRequest, @NoQuery() _query: unknown): Promise<AccountsOverviewDto> {
    const now = this.clock.now();
    const accounts: AccountsOverviewDto['accounts'] = [];
    // One account after another: each holds a few pooled connections while its figures run.
    for (const account of req.accessibleAccounts ?? [])
      accounts.push(await loadAccountSummary(this.dataSource.manager, { id: account.stripeAccountId, name: account.name, role: account.role }, now));
    return { asOf: now.toISOString(), accounts };
  }
}
