import { insertInvoice } from '../../support/ledger-facts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import pino from 'pino';
import { emailsPreviewCommand } from '../../../src/cli/commands/emails.command';
import { testConfig } from '../../support/test-config';
import { createTestDatabase, TestDatabase } from '../../support/test-database';
import { insertClient } from './notifications-fixtures';

Logger.overrideLogger(false);

describe('payrisk emails preview', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  async function preview(kind: 'alert' | 'action' | 'pause' | 'resume' | 'digest') {
    const config = testConfig({ DATABASE_URL: db.url });
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    try {
      await emailsPreviewCommand(config, pino({ level: 'silent' }), kind);
    } finally {
      spy.mockRestore();
    }
    return { out: lines.join('\n'), htmlFile: join(config.homeDir, 'previews', `${kind}.html`) };
  }

  it('renders every kind from sample data on an empty database, printing subject and text and writing the HTML', async () => {
    for (const kind of ['alert', 'action', 'pause', 'resume', 'digest'] as const) {
      const { out, htmlFile } = await preview(kind);
      expect(out).toContain(`(${kind} email rendered from sample data)`);
      expect(out).toMatch(/Subject: payrisk/);
      expect(out).toContain(`HTML part written to ${htmlFile}`);
      expect(existsSync(htmlFile)).toBe(true);
      expect(readFileSync(htmlFile, 'utf8')).toContain('<!doctype html>');
    }
    expect((await preview('pause')).out).toContain('€2,500.00');
    expect(await db.dataSource.query('SELECT 1 FROM outbox_messages')).toHaveLength(0); // a preview sends nothing
  });

  it('renders from the current data when there is some', async () => {
    await insertClient(db.dataSource, 'cus_real', 'Real Client <i>AG</i>');
    await insertInvoice(db.dataSource, {
      id: 'in_real',
      clientId: 'cus_real',
      currency: 'gbp',
      total: 43210,
      number: null,
      createdAt: new Date(Date.now() - 70 * 86_400_000),
      dueAt: new Date(Date.now() - 50 * 86_400_000),
    });
    const pause = await preview('pause');
    expect(pause.out).toContain('(pause email rendered from current data)');
    expect(pause.out).toContain('Subject: payrisk: work for Real Client <i>AG</i> is paused');
    expect(pause.out).toContain('£432.10, the oldest 50 days past due');
    expect(readFileSync(pause.htmlFile, 'utf8')).toContain('Real Client &lt;i&gt;AG&lt;/i&gt;');
    const digest = await preview('digest');
    expect(digest.out).toContain('(digest email rendered from current data)');
    expect(digest.out).toContain('- 31–60 days: £432.10 (1 invoices)');
  });
});
