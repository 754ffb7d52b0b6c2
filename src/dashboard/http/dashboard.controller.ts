import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '../../common/clock';
import { loadClientPage } from '../queries/client-list.query';
import { loadOverview } from '../queries/overview.query';
import { ClientListQueryDto, ClientPageDto, OverviewDto } from './dashboard.schemas';

/** Read models behind the dashboard's pages (the same bearer token or session as the rest of /api). */
@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('dashboard')
export class DashboardController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Receivables, aging, DSO, levels and movers, approvals waiting, paused clients, expected payments, last sync. */
  @Get('overview')
  @ApiOkResponse({ type: OverviewDto.Output })
  overview(): Promise<OverviewDto> {
    return loadOverview(this.dataSource.manager, this.clock.now());
  }

  /** One page of clients: filter by level, flag and name; sort by any column. */
  @Get('clients')
  @ApiOkResponse({ type: ClientPageDto.Output })
  clients(@Query() query: ClientListQueryDto): Promise<ClientPageDto> {
    return loadClientPage(this.dataSource.manager, query);
  }
}
