import { Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { FixedClock } from '../../../src/common/clock';
import * as actionsQuery from '../../../src/policies/persistence/actions.query';
import type { RunningSandbox } from '../../../src/sandbox';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { customer, DAY, feeItems, invoice, policyConfig, policyTools, sandboxStartingDaysAgo, sync } from './policy-fixtures';

Logger.overrideLogger(false);

/** Who a policy reaches (mode off, exemptions, default targeting) and a crash repair of fee invoices. */

const count = async (db: TestDatabase, sql: string, params: unknown[] = []): Promise<number> =>
  ((await db.dataSource.query(sql, params)) as { n: number }[])[0].n;

describe('a late fee policy that is enabled but in mode off', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let clock: FixedClock;
  const clients: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ sandbox, stripe } = await sandboxStartingDaysAgo(40));
    for (const name of ['Overdue Olive', 'Overdue Otto']) {
      const id = await customer(stripe, name);
      clients.push(id);
      await invoice(stripe, id, 150_000);
    }
    await sandbox.advanceTime(40 * DAY); // 33 days past due, well past the grace days
    await sync(db, sandbox, stripe);
    clock = new FixedClock(sandbox.now());
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
    await db?.drop();
  }, 60_000);

  it('the same overdue invoices would be charged in mode approve (the control)', async () => {
    const approving = policyTools(db, stripe, sandbox, policyConfig(`policies:\n  lateFee: { enabled: true, mode: approve, graceDays: 7 }\n`), clock);
    const plan = await approving.runner.run({ dryRun: true });
    expect(
      plan.planned
        .filter((p) => p.kind === 'late_fee')
        .map((p) => p.clientId)
        .sort(),
    ).toEqual([...clients].sort());
  }, 60_000);

  it('creates no actions, no emails and no Stripe fee items', async () => {
    const tools = policyTools(db, stripe, sandbox, policyConfig(`policies:\n  lateFee: { enabled: true, mode: off, graceDays: 7 }\n`), clock);
    const result = await tools.runner.run();
    expect(result.planned).toEqual([]);
    expect(result).toMatchObject({ created: 0, applied: 0, failed: 0 });
    expect(await count(db, `SELECT count(*)::int AS n FROM actions`)).toBe(0);
    expect(await count(db, `SELECT count(*)::int AS n FROM outbox_messages`)).toBe(0);
    for (const id of clients) expect(await feeItems(stripe, id)).toHaveLength(0);
  }, 60_000);
});

describe('exempt clients in a real policy run', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let tools: ReturnType<typeof policyTools>;
  let listed: string;
  let tagged: string;
  let ordinary: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ sandbox, stripe } = await sandboxStartingDaysAgo(40));
    listed = await customer(stripe, 'Listed Lisa');
    tagged = await customer(stripe, 'Tagged Tom');
    ordinary = await customer(stripe, 'Ordinary Olga');
    for (const id of [listed, tagged, ordinary]) await invoice(stripe, id, 200_000);
    await stripe.customers.update(tagged, { metadata: { payrisk_exempt: 'true' } });
    await sandbox.advanceTime(40 * DAY);
    await sync(db, sandbox, stripe);
    const yaml = `policies:
  exemptCustomers: [${listed}]
  lateFee: { enabled: true, mode: auto, graceDays: 7, preset: monthly-1.5-percent, applyAs: invoice_item }
`;
    tools = policyTools(db, stripe, sandbox, policyConfig(yaml), new FixedClock(sandbox.now()));
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
    await db?.drop();
  }, 60_000);

  it('charges only the ordinary client: neither the listed nor the Stripe-tagged one', async () => {
    // The Stripe metadata reached the ledger (what the planner reads).
    expect(await db.dataSource.query(`SELECT id, exempt FROM clients ORDER BY name`)).toEqual([
      { id: listed, exempt: false },
      { id: ordinary, exempt: false },
      { id: tagged, exempt: true },
    ]);
    const result = await tools.runner.run();
    expect(result.planned.map((p) => [p.kind, p.clientId])).toEqual([['late_fee', ordinary]]);
    expect(result).toMatchObject({ created: 1, applied: 1, failed: 0 });
    expect(await db.dataSource.query(`SELECT client_id, kind, status FROM actions`)).toEqual([{ client_id: ordinary, kind: 'late_fee', status: 'applied' }]);
    expect(await feeItems(stripe, ordinary)).toHaveLength(1);
    expect(await feeItems(stripe, listed)).toHaveLength(0);
    expect(await feeItems(stripe, tagged)).toHaveLength(0);
    expect(await count(db, `SELECT count(*)::int AS n FROM outbox_messages WHERE client_id = ANY($1)`, [[listed, tagged]])).toBe(0);
  }, 60_000);
});

describe('price increases by default target critical clients, not merely risky ones', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let tools: ReturnType<typeof policyTools>;
  let critical: string;
  let risky: string;

  const assess = (clientId: string, level: string, at: Date) =>
    db.dataSource.query(
      `INSERT INTO risk_assessments (run_id, client_id, stripe_account_id, assessed_at, score, level, flags, metrics, evidence, reasons)
       VALUES (gen_random_uuid(), $1, $2, $3, 50, $4, '{}', '{}', '{}', '{}')`,
      [clientId, sandbox.accountId, at, level],
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ sandbox, stripe } = await sandboxStartingDaysAgo(10));
    critical = await customer(stripe, 'Critical Cleo');
    risky = await customer(stripe, 'Risky Rick');
    await sync(db, sandbox, stripe);
    const now = sandbox.now();
    const earlier = new Date(now.getTime() - 5 * DAY * 1000);
    // Only the latest assessment counts: Cleo got worse, Rick got better.
    await assess(critical, 'ok', earlier);
    await assess(critical, 'critical', now);
    await assess(risky, 'critical', earlier);
    await assess(risky, 'risky', now);
    // Default appliesTo (flags [repeated_discount_demands], levels [critical]); sendNotice defaults to false.
    tools = policyTools(db, stripe, sandbox, policyConfig(`policies:\n  priceIncrease: { enabled: true, mode: approve }\n`), new FixedClock(now));
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
    await db?.drop();
  }, 60_000);

  it('proposes a price increase for the critical client only', async () => {
    const result = await tools.runner.run();
    expect(result).toMatchObject({ created: 1, applied: 0 });
    expect(await db.dataSource.query(`SELECT client_id, kind, status FROM actions`)).toEqual([
      { client_id: critical, kind: 'price_increase', status: 'proposed' },
    ]);
    const [proposal] = await tools.actions.list({ clientId: critical });
    expect(proposal.reason).toContain('level critical');
    expect(proposal.params).toMatchObject({ percent: 20, subscriptions: [], rateMultiplier: 1.2, sendNotice: false });
  }, 60_000);

  it("the owner's proposal email carries the drafted notice for the client", async () => {
    const [proposal] = await tools.actions.list({ clientId: critical });
    const notice = String(proposal.params.notice);
    const firstLine = notice.split('\n')[0];
    expect(firstLine).toBe('Dear Critical Cleo,');
    const mails = (await db.dataSource.query(`SELECT subject, text FROM outbox_messages WHERE kind = 'action' AND client_id = $1`, [critical])) as {
      subject: string;
      text: string;
    }[];
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('payrisk: Price increase of 20% for Critical Cleo needs your approval');
    expect(mails[0].text).toContain('Notice for the client:');
    expect(mails[0].text).toContain(firstLine);
    expect(mails[0].text).toContain(`Notice for the client:\n${notice}`);
    expect(await count(db, `SELECT count(*)::int AS n FROM outbox_messages WHERE client_id = $1`, [risky])).toBe(0);
  }, 60_000);

  it('approving it with sendNotice off writes no notice to the client', async () => {
    const [proposal] = await tools.actions.list({ clientId: critical });
    const applied = await tools.actions.approve(proposal.id, 'api');
    expect(applied.status).toBe('applied');
    expect(
      await count(db, `SELECT count(*)::int AS n FROM outbox_messages WHERE kind = 'action' AND client_id = $1 AND subject LIKE '%applied'`, [critical]),
    ).toBe(1);
    expect(await count(db, `SELECT count(*)::int AS n FROM outbox_messages WHERE kind = 'client_notice'`)).toBe(0);
  }, 60_000);
});

describe('crash repair for a late fee sent as an invoice of its own', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let clock: FixedClock;
  let tools: ReturnType<typeof policyTools>;
  let client: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ sandbox, stripe } = await sandboxStartingDaysAgo(40));
    client = await customer(stripe, 'Crashing Cora');
    await invoice(stripe, client, 120_000);
    await sandbox.advanceTime(40 * DAY);
    await sync(db, sandbox, stripe);
    const yaml = `policies:
  lateFee: { enabled: true, mode: approve, graceDays: 7, preset: custom, method: fixed, fixedAmount: 4000, applyAs: separate_invoice }
`;
    clock = new FixedClock(sandbox.now());
    tools = policyTools(db, stripe, sandbox, policyConfig(yaml), clock);
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
    await db?.drop();
  }, 60_000);

  const feeInvoicesOf = async (actionId: string): Promise<Stripe.Invoice[]> => {
    const found: Stripe.Invoice[] = [];
    for await (const inv of stripe.invoices.list({ customer: client, limit: 100 })) if (inv.metadata?.payrisk_action_id === actionId) found.push(inv);
    return found;
  };

  it('the next run records the fee invoice the crashed process created, without a second one', async () => {
    expect((await tools.runner.run()).created).toBe(1);
    const [fee] = await tools.actions.list({ clientId: client });
    expect(fee).toMatchObject({ kind: 'late_fee', status: 'proposed' });
    const approved = await actionsQuery.transition(db.dataSource.manager, fee.id, 'approved', 'api', clock.now());
    const written = await tools.runner.executor.writeToStripe(approved); // the process dies here, before recording
    expect(await feeInvoicesOf(fee.id)).toHaveLength(1);
    expect((await tools.actions.get(fee.id)).status).toBe('approved');

    const result = await tools.runner.run();
    expect(result.applied).toBe(1);
    const repaired = await tools.actions.get(fee.id);
    expect(repaired.status).toBe('applied');
    const invoices = await feeInvoicesOf(fee.id);
    expect(invoices).toHaveLength(1);
    expect(invoices[0].id).toBe(repaired.stripeIds.invoice);
    expect(repaired.stripeIds.invoice).toBe(written.invoice);
    expect(invoices[0]).toMatchObject({ status: 'open', total: 4_000, currency: 'eur' });
    expect(invoices[0].lines.data).toHaveLength(1);
  }, 60_000);
});
