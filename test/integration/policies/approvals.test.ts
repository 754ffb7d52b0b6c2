import { Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { FixedClock } from '../../../src/common/clock';
import * as actionsQuery from '../../../src/policies/persistence/actions.query';
import type { RunningSandbox } from '../../../src/sandbox';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { customer, DAY, feeItems, invoice, policyConfig, policyTools, sandboxStartingDaysAgo, sync } from './policy-fixtures';

Logger.overrideLogger(false);

const HOUR_MS = 3_600_000;
const proposeFees = `policies:
  approvalLinkTtlHours: 72
  lateFee: { enabled: true, mode: approve, graceDays: 7, preset: custom, method: fixed, fixedAmount: 4000, applyAs: invoice_item }
  priceIncrease: { enabled: true, mode: approve, percent: 20, noticeDays: 30, sendNotice: true }
`;

describe('proposals, approvals, rejections, expiry, crash repair and price increases', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let clock: FixedClock;
  let tools: ReturnType<typeof policyTools>;
  const ids: Record<string, string> = {};
  let subscription: Stripe.Subscription;
  let retainer: Stripe.Price;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ sandbox, stripe } = await sandboxStartingDaysAgo(30));
    for (const name of ['Rejected Rita', 'Expiring Ed', 'Crashing Carl']) {
      ids[name] = await customer(stripe, name);
      await invoice(stripe, ids[name], 120_000);
    }
    ids.haggler = await customer(stripe, 'Haggling Hal');
    const product = await stripe.products.create({ name: 'Design retainer' });
    retainer = await stripe.prices.create({
      product: product.id,
      currency: 'eur',
      unit_amount: 150_000,
      recurring: { interval: 'month' },
      nickname: 'Design retainer (monthly)',
    });
    subscription = await stripe.subscriptions.create({
      customer: ids.haggler,
      items: [{ price: retainer.id }],
      collection_method: 'send_invoice',
      days_until_due: 14,
    });
    for await (const open of stripe.invoices.list({ customer: ids.haggler, status: 'open' }))
      await stripe.invoices.pay(open.id as string, { paid_out_of_band: true });
    await sandbox.advanceTime(20 * DAY);
    for await (const open of stripe.invoices.list({ customer: ids.haggler, status: 'open' }))
      await stripe.invoices.pay(open.id as string, { paid_out_of_band: true });
    await sync(db, sandbox, stripe);
    // The risk feature's judgement (tested on its own): this client keeps demanding discounts.
    await db.dataSource.query(
      `INSERT INTO risk_assessments (run_id, client_id, stripe_account_id, assessed_at, score, level, flags, metrics, evidence, reasons)
       VALUES (gen_random_uuid(), $1, $2, $3, 62, 'risky', '{repeated_discount_demands}', '{}', '{}', '{}')`,
      [ids.haggler, sandbox.accountId, sandbox.now()],
    );
    clock = new FixedClock(sandbox.now());
    tools = policyTools(db, stripe, sandbox, policyConfig(proposeFees, { PUBLIC_URL: 'https://payrisk.agency.test' }), clock);
  });
  afterAll(async () => {
    await sandbox.stop();
    await db.drop();
  });

  it('a dry run shows the plan and writes nothing anywhere', async () => {
    const outboxBefore = await db.dataSource.query(`SELECT count(*)::int AS n FROM outbox_messages`);
    const result = await tools.runner.run({ dryRun: true });
    expect(result.planned.map((p) => [p.kind, p.clientName]).sort()).toEqual([
      ['late_fee', 'Crashing Carl'],
      ['late_fee', 'Expiring Ed'],
      ['late_fee', 'Rejected Rita'],
      ['price_increase', 'Haggling Hal'],
    ]);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM actions`)).toEqual([{ n: 0 }]);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM outbox_messages`)).toEqual(outboxBefore);
    for (const name of ['Rejected Rita', 'Expiring Ed', 'Crashing Carl']) expect(await feeItems(stripe, ids[name])).toHaveLength(0);
    expect((await stripe.subscriptionSchedules.list({ customer: ids.haggler })).data).toHaveLength(0);
  });

  it('proposes instead of applying, and emails the owner signed approve and reject links', async () => {
    const result = await tools.runner.run();
    expect(result).toMatchObject({ created: 4, applied: 0 });
    const proposed = await tools.actions.list({ status: 'proposed' });
    expect(proposed).toHaveLength(4);
    const [mail] = (await db.dataSource.query(`SELECT subject, text FROM outbox_messages WHERE kind = 'action' AND client_id = $1`, [
      ids['Rejected Rita'],
    ])) as { subject: string; text: string }[];
    expect(mail.subject).toBe('payrisk: Late fee of €40.00 for Rejected Rita needs your approval');
    expect(mail.text).toMatch(/Approve: https:\/\/payrisk\.agency\.test\/approvals\/[0-9a-f-]{36}\/approve\?expires=\d+&sig=[0-9a-f]{64}/);
    expect(mail.text).toMatch(/Reject: https:\/\/payrisk\.agency\.test\/approvals\/[0-9a-f-]{36}\/reject\?/);
    for (const name of ['Rejected Rita', 'Expiring Ed', 'Crashing Carl']) expect(await feeItems(stripe, ids[name])).toHaveLength(0);
  });

  it('a rejected action changes nothing in Stripe, now or on later runs', async () => {
    const [fee] = await tools.actions.list({ clientId: ids['Rejected Rita'] });
    expect((await tools.actions.reject(fee.id, 'api')).status).toBe('rejected');
    await tools.runner.run();
    expect(await feeItems(stripe, ids['Rejected Rita'])).toHaveLength(0);
    await expect(tools.actions.approve(fee.id, 'api')).rejects.toThrow(/is rejected; it cannot become approved/);
  });

  it('a crash after the Stripe call is repaired by the next run without a duplicate', async () => {
    const [fee] = await tools.actions.list({ clientId: ids['Crashing Carl'] });
    const approved = await actionsQuery.transition(db.dataSource.manager, fee.id, 'approved', 'api', clock.now());
    const written = await tools.runner.executor.writeToStripe(approved); // the process dies here, before recording
    expect(await feeItems(stripe, ids['Crashing Carl'])).toHaveLength(1);
    const result = await tools.runner.run();
    expect(result.applied).toBe(1);
    const items = await feeItems(stripe, ids['Crashing Carl']);
    expect(items.map((item) => item.id)).toEqual([written.invoiceItem]);
    expect((await tools.actions.get(fee.id)).stripeIds.invoiceItem).toBe(written.invoiceItem);
  });

  it('an approved price increase schedules the new price from the end of the notice period', async () => {
    const [increase] = await db.dataSource.query(`SELECT id FROM actions WHERE kind = 'price_increase'`);
    const applied = await tools.actions.approve(increase.id, 'owner_link');
    expect(applied.status).toBe('applied');
    const scheduleId = applied.stripeIds[`schedule:${subscription.id}`];
    const schedule = await stripe.subscriptionSchedules.retrieve(scheduleId);
    const effective = Math.floor(new Date(String(applied.params.effectiveAt)).getTime() / 1000);
    expect(new Date(effective * 1000).toISOString()).toBe(
      new Date(Date.UTC(clock.now().getUTCFullYear(), clock.now().getUTCMonth(), clock.now().getUTCDate()) + 30 * DAY * 1000).toISOString(),
    );
    expect(schedule.phases).toHaveLength(2);
    expect(schedule.phases[0].end_date).toBe(effective);
    expect(schedule.phases[0].items[0].price).toBe(retainer.id);
    expect(schedule.phases[1].start_date).toBe(effective);
    const newPrice = await stripe.prices.retrieve(String(schedule.phases[1].items[0].price));
    expect(newPrice).toMatchObject({ unit_amount: 180_000, currency: 'eur', recurring: expect.objectContaining({ interval: 'month' }) });
    expect(String(applied.params.notice)).toContain('Design retainer (monthly): €1,500.00 → €1,800.00');
    const notices = await db.dataSource.query(`SELECT recipient, subject, text FROM outbox_messages WHERE kind = 'client_notice'`);
    expect(notices).toEqual([
      {
        recipient: 'haggling.hal@client.test',
        subject: `Our prices for your account from ${String(applied.params.effectiveAt).slice(0, 10)}`,
        text: `${String(applied.params.notice)}\n`,
      },
    ]);
  });

  it('an expired proposal changes nothing in Stripe and cannot be approved late', async () => {
    clock.advance(73 * HOUR_MS);
    const [fee] = await tools.actions.list({ clientId: ids['Expiring Ed'] });
    const result = await tools.runner.run();
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect((await tools.actions.get(fee.id)).status).toBe('expired');
    await expect(tools.actions.approve(fee.id, 'owner_link')).rejects.toThrow(/is expired/);
    expect(await feeItems(stripe, ids['Expiring Ed'])).toHaveLength(0);
    expect((await tools.runner.run()).created).toBe(0); // the same decision is not proposed again
  });
});
