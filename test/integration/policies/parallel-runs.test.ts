import { Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { FixedClock } from '../../../src/common/clock';
import type { RunningSandbox } from '../../../src/sandbox';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { customer, DAY, feeItems, invoice, policyConfig, policyTools, sandboxStartingDaysAgo, sync } from './policy-fixtures';

// jest's testTimeout in a project's config is ignored (it is a global option): on a loaded machine 5 s is too short.
jest.setTimeout(60_000);

Logger.overrideLogger(false);

const CLIENTS = 11;
const RUNS = 4;
const autoFees = `policies:
  lateFee: { enabled: true, mode: auto, graceDays: 7, preset: custom, method: fixed, fixedAmount: 2500, recurrence: once, applyAs: invoice_item }
`;

/**
 * Four policy runs at once on one ledger (four instances, or the cron beside CLI runs): each
 * reports only what it did itself, so the reports add up to what happened. They once
 * reported 29 applied between them when 11 were.
 */
describe('parallel policy runs on the same ledger', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  const clients: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ sandbox, stripe } = await sandboxStartingDaysAgo(40));
    for (let i = 0; i < CLIENTS; i++) {
      const id = await customer(stripe, `Late Client ${i}`);
      clients.push(id);
      await invoice(stripe, id, 100_000 + i * 1_000);
    }
    await sandbox.advanceTime(40 * DAY); // every invoice 33 days past due
    await sync(db, sandbox, stripe);
  }, 120_000);
  afterAll(async () => {
    await sandbox?.stop();
    await db?.drop();
  });

  it('report between them exactly the actions created, applied and audited, once each', async () => {
    const clock = new FixedClock(sandbox.now());
    const runners = Array.from({ length: RUNS }, () => policyTools(db, stripe, sandbox, policyConfig(autoFees), clock).runner);
    const results = await Promise.all(runners.map((runner) => runner.run()));

    const [{ n: actionCount }] = (await db.dataSource.query(`SELECT count(*)::int AS n FROM actions`)) as { n: number }[];
    const [{ n: appliedCount }] = (await db.dataSource.query(`SELECT count(*)::int AS n FROM actions WHERE status = 'applied'`)) as { n: number }[];
    const [{ n: appliedAudits }] = (await db.dataSource.query(`SELECT count(*)::int AS n FROM action_audit WHERE to_status = 'applied'`)) as { n: number }[];
    expect(actionCount).toBe(CLIENTS);
    expect(appliedCount).toBe(CLIENTS);
    expect(appliedAudits).toBe(CLIENTS);

    const sum = (pick: (r: (typeof results)[number]) => number) => results.reduce((total, r) => total + pick(r), 0);
    expect(sum((r) => r.created)).toBe(actionCount);
    expect(sum((r) => r.applied)).toBe(appliedCount);
    expect(sum((r) => r.failed + r.retryLater + r.expired)).toBe(0);
    // No action is in two runs' reports, and each run's list matches its own count.
    const reported = results.flatMap((r) => r.actions.map((a) => a.id));
    expect(new Set(reported).size).toBe(reported.length);
    expect(reported).toHaveLength(CLIENTS);
    for (const r of results) expect(r.actions.filter((a) => a.status === 'applied')).toHaveLength(r.applied);

    // And Stripe got one fee per client, whichever run applied it.
    for (const id of clients) expect(await feeItems(stripe, id)).toHaveLength(1);

    // A later run finds nothing left to do and says so.
    expect(await runners[0].run()).toMatchObject({ created: 0, applied: 0, failed: 0, expired: 0, actions: [] });
  }, 120_000);
});
