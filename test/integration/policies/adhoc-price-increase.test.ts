import { Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { FixedClock } from '../../../src/common/clock';
import { clientPricing } from '../../../src/policies/persistence/client-pricing.query';
import type { RunningSandbox } from '../../../src/sandbox';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { customer, invoice, policyConfig, policyTools, sandboxStartingDaysAgo, sync } from './policy-fixtures';

Logger.overrideLogger(false);

describe('a price increase for a client billed ad hoc', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let tools: ReturnType<typeof policyTools>;
  let client: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ sandbox, stripe } = await sandboxStartingDaysAgo(10));
    client = await customer(stripe, 'Adhoc Ada');
    const paid = await invoice(stripe, client, 90_000);
    await stripe.invoices.pay(paid.id as string, { paid_out_of_band: true });
    await sync(db, sandbox, stripe);
    await db.dataSource.query(
      `INSERT INTO risk_assessments (run_id, client_id, stripe_account_id, assessed_at, score, level, flags, metrics, evidence, reasons)
       VALUES (gen_random_uuid(), $1, $2, $3, 55, 'risky', '{repeated_discount_demands}', '{}', '{}', '{}')`,
      [client, sandbox.accountId, sandbox.now()],
    );
    tools = policyTools(
      db,
      stripe,
      sandbox,
      policyConfig(`policies:\n  priceIncrease: { enabled: true, mode: approve, percent: 15, noticeDays: 30 }\n`),
      new FixedClock(sandbox.now()),
    );
  }, 60_000);
  afterAll(async () => {
    await sandbox.stop();
    await db.drop();
  });

  it('records a rate multiplier that payrisk reports on, and changes nothing in Stripe', async () => {
    expect(await clientPricing(db.dataSource.manager, client)).toBeNull();
    await tools.runner.run();
    const [proposal] = await tools.actions.list({ clientId: client, kind: 'price_increase' });
    expect(proposal.params).toMatchObject({ percent: 15, subscriptions: [], rateMultiplier: 1.15 });
    const applied = await tools.actions.approve(proposal.id, 'api');
    expect(applied).toMatchObject({ status: 'applied', stripeIds: {} });
    expect(await clientPricing(db.dataSource.manager, client)).toEqual({
      actionId: proposal.id,
      percent: 15,
      effectiveAt: proposal.params.effectiveAt,
      rateMultiplier: 1.15,
      schedules: {},
    });
    expect((await stripe.subscriptionSchedules.list({ customer: client })).data).toHaveLength(0);
    expect((await stripe.prices.list({ limit: 100 })).data.filter((p) => p.metadata?.payrisk_action_id === proposal.id)).toHaveLength(0);
  }, 60_000);
});
