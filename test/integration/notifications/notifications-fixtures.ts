import { insertClient as insertClientFact } from '../../support/ledger-facts';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../../src/common/clock';
import { fixedAccountConfig, type AppConfig } from '../../../src/config';
import { RiskAlertProducer } from '../../../src/notifications/alerts/risk-alert.producer';
import { WeeklyDigestService } from '../../../src/notifications/digest/weekly-digest.service';
import { OutboxOwnerNotifier } from '../../../src/notifications/outbox/outbox-owner-notifier';
import { OutboxSender } from '../../../src/notifications/outbox/outbox-sender';
import { OutboxService } from '../../../src/notifications/outbox/outbox.service';

/** The notifications services wired by hand on a real database (the same classes Nest wires in the app). */
export function notificationsFor(dataSource: DataSource, config: AppConfig, clock: FixedClock) {
  const outbox = new OutboxService(dataSource, clock);
  return {
    outbox,
    notifier: new OutboxOwnerNotifier(outbox, fixedAccountConfig(config)),
    sender: () => new OutboxSender(outbox, config),
    alerts: new RiskAlertProducer(dataSource, outbox, fixedAccountConfig(config), clock),
    digest: new WeeklyDigestService(dataSource, outbox, fixedAccountConfig(config), clock),
  };
}

export async function insertClient(dataSource: DataSource, id: string, name: string): Promise<void> {
  await insertClientFact(dataSource, { id, name });
}
