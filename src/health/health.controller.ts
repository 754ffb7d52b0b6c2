import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator';
import { NoQuery } from '../common/http';
import { migrationsAreCurrent } from '../database/migrate';
import { runAsOwner } from '../database/scoped-connections';

export interface HealthReport {
  status: 'ok' | 'error';
  database: 'up' | 'down';
  migrations: 'current' | 'pending' | 'unknown';
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  /** 200 when the database answers and every migration is applied; 503 otherwise, saying which. */
  @Public()
  @Get()
  @ApiOkResponse({ description: 'database reachable and migrations current' })
  async check(@NoQuery() _query: unknown, @Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    let report: HealthReport;
    try {
      // As the connecting user: before the first migration the application's role does not exist yet.
      await runAsOwner(() => this.dataSource.query('SELECT 1'));
      const current = await migrationsAreCurrent(this.dataSource);
      report = { status: current ? 'ok' : 'error', database: 'up', migrations: current ? 'current' : 'pending' };
    } catch {
      report = { status: 'error', database: 'down', migrations: 'unknown' };
    }
    response.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
