import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import { FixedClock } from '../../../src/common/clock';
import type { AppConfig } from '../../../src/config';
import { OUTBOX_LEASE_MS } from '../../../src/notifications/outbox/outbox.service';
import { startSmtpServer, TestSmtpServer } from '../../support/smtp-server';
import { testConfig } from '../../support/test-config';
import { createTestDatabase, TestDatabase } from '../../support/test-database';
import { notificationsFor } from './notifications-fixtures';

// jest's testTimeout in a project's config is ignored (it is a global option): on a loaded machine 5 s is too short.
jest.setTimeout(60_000);

const NOW = new Date('2026-11-25T09:00:00Z');
Logger.overrideLogger(false); // the services log every send; keep the test output readable

describe('owner emails: outbox delivery over real SMTP', () => {
  let db: TestDatabase;
  let smtp: TestSmtpServer;
  let config: AppConfig;
  let clock: FixedClock;
  let n: ReturnType<typeof notificationsFor>;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp.stop();
    await db.drop();
  });
  beforeEach(async () => {
    await db.dataSource.query('DELETE FROM outbox_messages');
    smtp.messages.length = 0;
    clock = new FixedClock(NOW);
    config = testConfig({ SMTP_URL: smtp.url, OWNER_EMAIL: 'owner@agency.test', MAIL_FROM: 'payrisk <payrisk@agency.test>' });
    n = notificationsFor(db.dataSource, config, clock);
  });

  const pause = (customerId: string, clientName: string) => ({
    kind: 'pause' as const,
    dedupeKey: `pause:${customerId}:2026-11-25`,
    clientId: customerId,
    data: {
      customerId,
      clientName,
      arrears: [
        { amount: 123450, currency: 'eur' },
        { amount: 120000, currency: 'jpy' },
      ],
      oldestDaysPastDue: 64,
      reason: 'invoice 64 days past due',
    },
  });

  it('renders and delivers a pause email: subject, text and HTML parts, amounts in their currency, names escaped', async () => {
    const name = '<script>alert("x")</script> Café 🚀 Studio';
    await db.dataSource.transaction((m) => n.notifier.notify(m, pause('cus_esc', name)));
    expect(await n.sender().sendDue()).toEqual({ sent: 1, retried: 0, failed: 0 });

    const [mail] = await smtp.waitFor(1);
    expect(mail.subject).toBe(`payrisk: work for ${name} is paused`);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('owner@agency.test');
    expect(mail.from?.text).toContain('payrisk@agency.test');
    expect(mail.text).toContain(`Work for ${name} (cus_esc) is paused.`);
    expect(mail.text).toContain('€1,234.50 + JP¥120,000');
    expect(mail.text).toContain('64 days past due');
    const html = String(mail.html);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Café 🚀 Studio');
    expect(html).toContain('€1,234.50 + JP¥120,000');
    expect(html).not.toMatch(/<img/i);
    expect(mail.messageId).toMatch(/^<payrisk\.[0-9a-f]{32}@agency\.test>$/);
    expect(mail.headers.get('x-payrisk-dedupe-key')).toBe('pause:cus_esc:2026-11-25');
  });

  it('delivers action (applied and failed) and resume emails with Stripe ids, undo link and error', async () => {
    await db.dataSource.transaction(async (m) => {
      await n.notifier.notify(m, {
        kind: 'action',
        dedupeKey: 'action:a1:applied',
        clientId: 'cus_1',
        data: {
          actionId: 'a1',
          actionKind: 'late_fee',
          status: 'applied',
          customerId: 'cus_1',
          clientName: 'Acme Ltd',
          amount: { amount: 1850, currency: 'gbp' },
          stripeIds: { invoiceItem: 'ii_123', invoice: 'in_456' },
          undoUrl: 'http://localhost:3000/undo/a1',
        },
      });
      await n.notifier.notify(m, {
        kind: 'action',
        dedupeKey: 'action:a2:failed',
        clientId: 'cus_2',
        data: {
          actionId: 'a2',
          actionKind: 'work_pause',
          status: 'failed',
          customerId: 'cus_2',
          clientName: 'Beta GmbH',
          stripeIds: {},
          error: 'subscription sub_9 not found',
        },
      });
      await n.notifier.notify(m, {
        ...pause('cus_3', 'Gamma'),
        kind: 'resume',
        dedupeKey: 'resume:cus_3',
        data: { customerId: 'cus_3', clientName: 'Gamma', arrears: [], oldestDaysPastDue: 0, reason: 'all invoices paid' },
      });
    });
    await n.sender().sendDue();
    const mails = await smtp.waitFor(3);
    const bySubject = Object.fromEntries(mails.map((m) => [m.subject, m]));
    const applied = bySubject['payrisk: Late fee of £18.50 for Acme Ltd applied'];
    expect(applied.text).toContain('invoiceItem: ii_123');
    expect(applied.text).toContain('Undo: http://localhost:3000/undo/a1');
    expect(String(applied.html)).toContain('href="http://localhost:3000/undo/a1"');
    const failed = bySubject['payrisk: Pause work for Beta GmbH FAILED'];
    expect(failed.text).toContain('Error: subscription sub_9 not found');
    expect(bySubject['payrisk: work for Gamma can resume'].text).toContain('Arrears now: none.');
  });

  it('keeps emails in the outbox while SMTP is down and delivers each exactly once when it returns', async () => {
    await smtp.stop();
    try {
      await db.dataSource.transaction(async (m) => {
        for (const id of ['cus_a', 'cus_b', 'cus_c']) await n.notifier.notify(m, pause(id, id));
      });
      expect(await n.sender().sendDue()).toEqual({ sent: 0, retried: 3, failed: 0 });
      const waiting = (await db.dataSource.query(`SELECT status, attempts, last_error, next_attempt_at FROM outbox_messages`)) as {
        status: string;
        attempts: number;
        last_error: string;
        next_attempt_at: Date;
      }[];
      expect(waiting).toHaveLength(3);
      for (const row of waiting) {
        expect(row).toMatchObject({ status: 'pending', attempts: 1 });
        expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
        expect(row.next_attempt_at.getTime()).toBe(NOW.getTime() + 60_000);
      }
      // Not due yet: nothing is claimed before the backoff has passed.
      expect(await n.sender().sendDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
      clock.advance(60_000);
      expect(await n.sender().sendDue()).toEqual({ sent: 0, retried: 3, failed: 0 });
      const [{ attempts, next }] = (await db.dataSource.query(`SELECT max(attempts) AS attempts, max(next_attempt_at) AS next FROM outbox_messages`)) as {
        attempts: number;
        next: Date;
      }[];
      expect(attempts).toBe(2);
      expect(next.getTime()).toBe(NOW.getTime() + 60_000 + 120_000);
    } finally {
      await smtp.start();
    }
    clock.advance(120_000);
    expect(await n.sender().sendDue()).toEqual({ sent: 3, retried: 0, failed: 0 });
    expect(await n.sender().sendDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
    clock.advance(OUTBOX_LEASE_MS * 2);
    expect(await n.sender().sendDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
    // No waiting needed: the server records a message before it answers 250, and sendDue resolves only after that answer,
    // so every message any sendDue above delivered is in smtp.messages by now (and a duplicate would be too).
    expect(smtp.messages.map((m) => m.headers.get('x-payrisk-dedupe-key')).sort()).toEqual([
      'pause:cus_a:2026-11-25',
      'pause:cus_b:2026-11-25',
      'pause:cus_c:2026-11-25',
    ]);
    const rows = (await db.dataSource.query(`SELECT status, last_error, sent_at FROM outbox_messages`)) as {
      status: string;
      last_error: string | null;
      sent_at: Date;
    }[];
    expect(rows.every((r) => r.status === 'sent' && r.last_error === null && r.sent_at)).toBe(true);
  });

  it('sends each dedupe key once when senders run concurrently and again, and when the key is enqueued twice', async () => {
    for (let i = 0; i < 30; i++) {
      await db.dataSource.transaction(async (m) => {
        await n.notifier.notify(m, pause(`cus_${i}`, `Client ${i}`));
        await n.notifier.notify(m, pause(`cus_${i}`, `Client ${i} (again)`)); // same key: ignored
      });
    }
    const outcomes = await Promise.all([n.sender().sendDue(7), n.sender().sendDue(7), n.sender().sendDue(7)]);
    expect(outcomes.reduce((sum, o) => sum + o.sent, 0)).toBe(30);
    expect(await n.sender().sendDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
    // Every sendDue has resolved, and each resolves only after the server recorded what it accepted: this is all that was sent.
    const keys = smtp.messages.map((m) => m.headers.get('x-payrisk-dedupe-key') as string);
    expect(keys).toHaveLength(30);
    expect(new Set(keys).size).toBe(30);
    expect(smtp.messages.every((m) => !String(m.subject).includes('again'))).toBe(true);
  });

  it('writes nothing when the event transaction rolls back', async () => {
    await expect(
      db.dataSource.transaction(async (m) => {
        await n.notifier.notify(m, pause('cus_rb', 'Rollback'));
        throw new Error('event failed');
      }),
    ).rejects.toThrow('event failed');
    expect(await db.dataSource.query(`SELECT 1 FROM outbox_messages`)).toHaveLength(0);
  });

  it('retries a message left "sending" by a crashed sender after its lease, with the same Message-ID', async () => {
    await db.dataSource.transaction((m) => n.notifier.notify(m, pause('cus_crash', 'Crash')));
    const [claimed] = await n.outbox.claimDue(); // a sender claims it, hands it to SMTP, then dies
    expect(claimed.status).toBe('sending');
    expect(await n.sender().sendDue()).toEqual({ sent: 0, retried: 0, failed: 0 }); // lease still held
    clock.advance(OUTBOX_LEASE_MS + 1000);
    expect(await n.sender().sendDue()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await n.outbox.markSent(claimed, 'late')).toBe(false); // the dead sender's token no longer counts
    const [mail] = await smtp.waitFor(1);
    expect(mail.messageId).toMatch(/^<payrisk\.[0-9a-f]{32}@agency\.test>$/);
  });
});

describe('owner emails without SMTP_URL', () => {
  it('writes each message as an .eml file under <home>/outbox, once per dedupe key', async () => {
    const db = await createTestDatabase();
    try {
      const config = testConfig({ OWNER_EMAIL: 'owner@agency.test' });
      const n = notificationsFor(db.dataSource, config, new FixedClock(NOW));
      await db.dataSource.transaction((m) =>
        n.notifier.notify(m, {
          kind: 'resume',
          dedupeKey: 'resume:cus_eml/1',
          clientId: 'cus_eml',
          data: { customerId: 'cus_eml', clientName: 'Éml & Co 🎉', arrears: [], oldestDaysPastDue: 0, reason: 'paid' },
        }),
      );
      expect(await n.sender().sendDue()).toEqual({ sent: 1, retried: 0, failed: 0 });
      const dir = join(config.homeDir, 'outbox');
      expect(existsSync(dir)).toBe(true);
      const files = readdirSync(dir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^resume_cus_eml_1-[0-9a-f]{8}\.eml$/);
      const parsed = await simpleParser(readFileSync(join(dir, files[0])));
      expect(parsed.subject).toBe('payrisk: work for Éml & Co 🎉 can resume');
      expect(String(parsed.html)).toContain('Éml &amp; Co 🎉');
      expect(parsed.text).toContain('Arrears now: none.');
      const [row] = (await db.dataSource.query(`SELECT status, transport_id FROM outbox_messages`)) as { status: string; transport_id: string }[];
      expect(row).toEqual({ status: 'sent', transport_id: join(dir, files[0]) });
    } finally {
      await db.drop();
    }
  });
});
