import { Global, Module } from '@nestjs/common';
import { CLIENT_NOTIFIER } from '../common/notifications/client-notifier.port';
import { OWNER_NOTIFIER } from '../common/notifications/owner-notifier.port';
import { RiskAlertProducer } from './alerts/risk-alert.producer';
import { WeeklyDigestService } from './digest/weekly-digest.service';
import { NotificationsScheduler } from './notifications.scheduler';
import { OutboxClientNotifier } from './outbox/outbox-client-notifier';
import { OutboxOwnerNotifier } from './outbox/outbox-owner-notifier';
import { OutboxSender } from './outbox/outbox-sender';
import { OutboxService } from './outbox/outbox.service';

/** Owner emails: the outbox, its sender, risk alerts and the weekly digest. Provides OWNER_NOTIFIER and CLIENT_NOTIFIER to every feature. */
@Global()
@Module({
  providers: [
    OutboxService,
    OutboxSender,
    RiskAlertProducer,
    WeeklyDigestService,
    NotificationsScheduler,
    { provide: OWNER_NOTIFIER, useClass: OutboxOwnerNotifier },
    { provide: CLIENT_NOTIFIER, useClass: OutboxClientNotifier },
  ],
  exports: [OWNER_NOTIFIER, CLIENT_NOTIFIER, OutboxService, OutboxSender, RiskAlertProducer, WeeklyDigestService],
})
export class NotificationsModule {}
