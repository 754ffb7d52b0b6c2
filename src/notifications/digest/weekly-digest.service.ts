import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '../../common/clock';
import { APP_CONFIG, AppConfig } from '../../config';
import { OutboxService } from '../outbox/outbox.service';
import { renderEmail } from '../templates/email-renderer';
import { buildDigestData } from './digest.query';

/** Builds this week's digest and writes it to the outbox; the dedupe key is the day, so a re-run the same day is a no-op. */
@Injectable()
export class WeeklyDigestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async enqueue(): Promise<boolean> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const data = await buildDigestData(manager, now);
      return this.outbox.enqueue(manager, {
        kind: 'digest',
        recipient: this.config.mail.ownerEmail,
        dedupeKey: `digest:${now.toISOString().slice(0, 10)}`,
        payload: data,
        ...renderEmail('digest', data),
      });
    });
  }
}
