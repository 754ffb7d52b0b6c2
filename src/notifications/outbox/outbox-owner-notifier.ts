import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OwnerNotification, OwnerNotifier } from '../../common/notifications/owner-notifier.port';
import { CURRENT_ACCOUNT_CONFIG, type CurrentAccountConfig } from '../../config';
import { renderEmail } from '../templates/email-renderer';
import { OutboxService } from './outbox.service';

/** The OWNER_NOTIFIER port: renders the email now and writes it to the outbox in the caller's transaction, to the scoped account's owner. */
@Injectable()
export class OutboxOwnerNotifier implements OwnerNotifier {
  constructor(
    private readonly outbox: OutboxService,
    @Inject(CURRENT_ACCOUNT_CONFIG) private readonly accountConfig: CurrentAccountConfig,
  ) {}

  async notify(manager: EntityManager, notification: OwnerNotification): Promise<void> {
    const rendered = renderEmail(notification.kind, notification.data);
    await this.outbox.enqueue(manager, {
      kind: notification.kind,
      recipient: (await this.accountConfig()).mail.ownerEmail,
      dedupeKey: notification.dedupeKey,
      clientId: notification.clientId ?? null,
      payload: notification.data,
      ...rendered,
    });
  }
}
