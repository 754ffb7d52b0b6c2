import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { CronJobs } from '../scheduler/cron-jobs.service';
import { JobRunner } from '../scheduler/job-runner.service';
import { loadPastMonthFigures } from './queries/month-figures.query';
import { overviewMonths } from './queries/overview.query';

/**
 * Every minute, recomputes the past months the ledger triggers marked stale (and a month that
 * just closed), so the overview after a sync reads precomputed figures instead of paying for
 * them. The overview still computes any month it finds stale itself: its numbers never lag.
 */
@Injectable()
export class MonthFiguresRefresher implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly jobs: JobRunner,
    private readonly cron: CronJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.cron.register('dashboard:months', '*/1 * * * *', () => this.refresh());
  }

  refresh() {
    return this.jobs.run('dashboard:months', () => loadPastMonthFigures(this.dataSource.manager, overviewMonths(this.clock.now()).slice(0, -1)));
  }
}
