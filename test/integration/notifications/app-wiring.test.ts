import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { OWNER_NOTIFIER, OwnerNotifier } from '../../../src/common/notifications/owner-notifier.port';
import { runForAccount } from '../../../src/database/account-scope';
import { OutboxSender } from '../../../src/notifications/outbox/outbox-sender';
import type { StripeConnection } from '../../../src/stripe/stripe-connection';
import { STRIPE_CONNECTION } from '../../../src/stripe/stripe.tokens';
import { createApp } from '../../../src/runtime/start-server';
import { startSmtpServer, TestSmtpServer } from '../../support/smtp-server';
import { testConfig } from '../../support/test-config';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

describe('notifications in the running app', () => {
  let db: TestDatabase;
  let smtp: TestSmtpServer;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpServer();
    app = await createApp(testConfig({ SMTP_URL: smtp.url, OWNER_EMAIL: 'boss@agency.test' }), db.url, pino({ level: 'silent' }));
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await smtp.stop();
    await db.drop();
  });

  it('provides OWNER_NOTIFIER globally; what a feature notifies in its transaction reaches the owner over SMTP', async () => {
    const notifier = app.get<OwnerNotifier>(OWNER_NOTIFIER);
    // A feature's work runs in the scope of the server's account, as the pipeline's does.
    const sent = await runForAccount(app.get<StripeConnection>(STRIPE_CONNECTION).accountId, async () => {
      await app.get(DataSource).transaction((manager) =>
        notifier.notify(manager, {
          kind: 'pause',
          dedupeKey: 'pause:cus_app:2026-11-25',
          clientId: 'cus_app',
          data: { customerId: 'cus_app', clientName: 'App Client', arrears: [{ amount: 999, currency: 'usd' }], oldestDaysPastDue: 47, reason: 'overdue' },
        }),
      );
      return app.get(OutboxSender).sendDue();
    });
    expect(sent.sent).toBe(1);
    const [mail] = await smtp.waitFor(1);
    expect(mail.subject).toBe('payrisk: work for App Client is paused');
    expect(mail.text).toContain('Arrears: US$9.99, the oldest 47 days past due.');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('boss@agency.test');
  });

  it('registers the outbox tick, and alerts and the digest only as steps of the pipeline', () => {
    const jobs = app.get(SchedulerRegistry).getCronJobs();
    expect([...jobs.keys()].filter((name) => name.startsWith('notifications:'))).toEqual(['notifications:outbox']);
    expect([...jobs.keys()].filter((name) => name.startsWith('pipeline:')).sort()).toEqual([
      'pipeline:catch-up',
      'pipeline:detect',
      'pipeline:digest',
      'pipeline:policies',
    ]);
  });
});
