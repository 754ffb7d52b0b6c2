import type Stripe from 'stripe';
import type { RunningSandbox } from '../../../src/sandbox';
import { StripeSyncService } from '../../../src/stripe/sync/stripe-sync.service';
import { openSandbox } from '../sandbox/sandbox-fixture';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

/** Objects Stripe could send that PostgreSQL cannot store (a NUL byte) are skipped and logged; the sync goes on. */
describe('sync: an object that cannot be stored is skipped, not fatal', () => {
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let db: TestDatabase;
  const logged: string[] = [];
  const clients = async () => ((await db.dataSource.query(`SELECT id FROM clients ORDER BY id`)) as { id: string }[]).map((row) => row.id);

  beforeAll(async () => {
    ({ sandbox, stripe } = await openSandbox());
    db = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await sandbox.stop();
    await db.drop();
  });

  it('backfill skips it with a log line and completes; catch-up does the same for its events', async () => {
    const good = await stripe.customers.create({ name: 'Good Client' });
    const bad = await stripe.customers.create({ name: 'Bad Client', metadata: { note: 'a\u0000b' } });
    const service = new StripeSyncService(db.dataSource, stripe, sandbox.accountId, undefined, { logger: { log: (line) => logged.push(line) } });
    const summary = await service.backfill();
    expect(summary.mode).toBe('backfill');
    expect(await clients()).toEqual([good.id]);
    expect(logged.filter((line) => line.includes(bad.id))).toEqual([expect.stringMatching(/skipped customer .* metadata\.note contains a NUL byte/)]);
    expect(await service.backfillComplete()).toBe(true);

    const later = await stripe.customers.create({ name: 'Later Client' });
    const worse = await stripe.customers.create({ name: 'Wor\u0000se Client' });
    const after = await stripe.customers.create({ name: 'After Client' });
    const caughtUp = await service.catchUp();
    expect(caughtUp.mode).toBe('catch-up');
    expect((await clients()).sort()).toEqual([good.id, later.id, after.id].sort());
    expect(logged.filter((line) => line.includes(worse.id))).toEqual([
      expect.stringMatching(/catch-up .* skipped event=evt_\w+ \(customer\.created\).* name contains a NUL byte/),
    ]);
  });
});
