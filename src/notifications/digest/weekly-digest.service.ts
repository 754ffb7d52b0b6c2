import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '../../common/clock';
import { CURRENT_ACCOUNT_CONFIG, type CurrentAccountConfig } from '../../config';
import { scopedAccountId } from '../../database/account-scope';
import { OutboxService } from '../outbox/outbox.service';
import { renderEmail } from '../templates/email-renderer';
import { buildDigestData } from './digest.query';

/** Builds this week's digest and writes it to the outbox; the dedupe key is the day, so a re-run the same day is a no-op. */
@Injectable()
export class WeeklyDigestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    @Inject(CURRENT_ACCOUNT_CONFIG) private readonly accountConfig: CurrentAccountConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async enqueue(): Promise<boolean> {
    const now = this.clock.now();
    const config = await this.accountConfig();
    // One digest per account and day (the key names the account when the work is scoped to one).
    const account = scopedAccountId();
    return this.dataSource.transaction(async (manager) => {
      const data = await buildDigestData(manager, now);
      return this.outbox.enqueue(manager, {
        kind: 'digest',
        recipient: config.mail.ownerEmail,
        dedupeKey: `digest:${account ? `${account}:` : ''}${now.toISOString().slice(0, 10)}`,
        payload: data,
        ...renderEmail('digest', data),
      });
    });
  }
}
