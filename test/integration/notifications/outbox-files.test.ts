import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { FixedClock } from '../../../src/common/clock';
import { emlFileName } from '../../../src/notifications/mail/mail-transport';
import { testConfig } from '../../support/test-config';
import { createTestDatabase, TestDatabase } from '../../support/test-database';
import { notificationsFor } from './notifications-fixtures';

// jest's testTimeout in a project's config is ignored (it is a global option): on a loaded machine 5 s is too short.
jest.setTimeout(60_000);

Logger.overrideLogger(false);

const NOW = new Date('2026-11-25T09:00:00Z');
const mode = (path: string) => statSync(path).mode & 0o777;

/** A proposal email: it carries signed approve/reject links, which anyone who can read the file could use. */
const proposal = (id: string) => ({
  kind: 'action' as const,
  dedupeKey: `action:${id}:proposed`,
  clientId: 'cus_files',
  data: {
    customerId: 'cus_files',
    clientName: 'Files Ltd',
    actionId: id,
    actionKind: 'late_fee',
    status: 'proposed',
    reason: 'invoice 30 days past due',
    amount: { amount: 4000, currency: 'eur' },
    approveUrl: `https://payrisk.test/approvals/${id}/approve?expires=1&sig=${'a'.repeat(64)}`,
    rejectUrl: `https://payrisk.test/approvals/${id}/reject?expires=1&sig=${'b'.repeat(64)}`,
    expiresAt: NOW.toISOString(),
  },
});

describe('.eml files in the outbox (no SMTP_URL): readable by the owner of PAYRISK_HOME only', () => {
  let db: TestDatabase;
  const previousUmask = process.umask(0o022); // the usual umask, under which files would come out 0644

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    process.umask(previousUmask);
    await db.drop();
  });
  beforeEach(() => db.dataSource.query('DELETE FROM outbox_messages'));

  it('creates the folder 0700 and each message 0600', async () => {
    const config = testConfig({ OWNER_EMAIL: 'owner@agency.test' });
    const n = notificationsFor(db.dataSource, config, new FixedClock(NOW));
    await db.dataSource.transaction((m) => n.notifier.notify(m, proposal('11111111-1111-4111-8111-111111111111')));
    expect(await n.sender().sendDue()).toEqual({ sent: 1, retried: 0, failed: 0 });
    const dir = join(config.homeDir, 'outbox');
    expect(mode(dir)).toBe(0o700);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(mode(join(dir, files[0]))).toBe(0o600);
  });

  it('tightens a folder that already exists with looser permissions, and a leftover temporary file', async () => {
    const config = testConfig({ OWNER_EMAIL: 'owner@agency.test' });
    const dir = join(config.homeDir, 'outbox');
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    const key = 'action:22222222-2222-4222-8222-222222222222:proposed';
    const leftover = join(dir, `${emlFileName(key)}.tmp`); // a crash between write and rename
    writeFileSync(leftover, 'half a message');
    chmodSync(leftover, 0o644);
    const older = join(dir, 'older.eml'); // written by an earlier version: not ours to rewrite, but now behind a 0700 folder
    writeFileSync(older, 'old');
    chmodSync(older, 0o644);

    const n = notificationsFor(db.dataSource, config, new FixedClock(NOW));
    await db.dataSource.transaction((m) => n.notifier.notify(m, proposal('22222222-2222-4222-8222-222222222222')));
    expect(await n.sender().sendDue()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(mode(dir)).toBe(0o700);
    const written = join(dir, emlFileName(key));
    expect(mode(written)).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual([emlFileName(key), 'older.eml'].sort());
  });
});
