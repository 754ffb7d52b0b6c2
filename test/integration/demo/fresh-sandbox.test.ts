import pino from 'pino';
import { createApp } from '../../../src/runtime/start-server';
import { testConfig } from '../../support/test-config';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

describe('payrisk start on the built-in sandbox', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const stale = async () => {
    await db.dataSource.query(
      `INSERT INTO clients (id, stripe_account_id, name, work_status, stripe_created_at) VALUES ('cus_from_last_start', 'acct_old', 'Old', 'paused', now()) ON CONFLICT DO NOTHING`,
    );
  };
  const staleLeft = async () => (await db.dataSource.query(`SELECT count(*)::int AS n FROM clients WHERE id = 'cus_from_last_start'`))[0].n as number;

  it('starts each new sandbox with an empty ledger (the old one described a sandbox that is gone)', async () => {
    await stale();
    const app = await createApp(testConfig(), db.url, pino({ level: 'silent' }), {
      sandbox: { webhookUrl: 'http://127.0.0.1:9/webhooks/stripe', oneShot: true },
    });
    try {
      expect(await staleLeft()).toBe(0);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('keeps the ledger when the app is built without the sandbox wiring (tests, tools)', async () => {
    await stale();
    const app = await createApp(testConfig(), db.url, pino({ level: 'silent' }));
    try {
      expect(await staleLeft()).toBe(1);
    } finally {
      await app.close();
    }
  }, 60_000);
});
