import { Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { FixedClock } from '../../../src/common/clock';
import * as actionsQuery from '../../../src/policies/persistence/actions.query';
import type { RunningSandbox } from '../../../src/sandbox';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { customer, DAY, feeItems, invoice, policyConfig, policyTools, sandboxStartingDaysAgo, sync } from './policy-fixtures';

Logger.overrideLogger(false);

const autoFees = `
lateFee_placeholder: true
`.replace(
  'lateFee_placeholder: true',
  `policies:
  lateFee: { enabled: true, mode: auto, graceDays: 7, preset: monthly-1.5-percent, recurrence: once, applyAs: invoice_item }`,
);

describe('late fees in auto mode, through the official client against the sandbox', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let clock: FixedClock;
  let tools: ReturnType<typeof policyTools>;
  let late: string;
  let other: string;
  let lateInvoice: Stripe.Invoice;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ sandbox, stripe } = await sandboxStartingDaysAgo(40));
    late = await customer(stripe, 'Late Larry');
    other = await customer(stripe, 'Tardy Tina');
    const punctual = await customer(stripe, 'Punctual Paula');
    lateInvoice = await invoice(stripe, late, 200_000);
    await invoice(stripe, other, 100_000);
    const paid = await invoice(stripe, punctual, 500_000);
    await stripe.invoices.pay(paid.id as string, { paid_out_of_band: true });
    await sandbox.advanceTime(40 * DAY); // due 7 days after the start: 33 days past due now
    await sync(db, sandbox, stripe);
    clock = new FixedClock(sandbox.now());
    tools = policyTools(db, stripe, sandbox, policyConfig(autoFees), clock);
  });
  afterAll(async () => {
    await sandbox.stop();
    await db.drop();
  });

  it('applies exactly one fee per overdue invoice when two runs race and a third runs after', async () => {
    const second = policyTools(db, stripe, sandbox, policyConfig(autoFees), clock); // another instance
    const [a, b] = await Promise.all([tools.runner.run(), second.runner.run()]);
    expect(a.created + b.created).toBe(2);
    const again = await tools.runner.run();
    expect(again).toMatchObject({ created: 0, applied: 0, failed: 0 });

    const items = await feeItems(stripe, late);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ amount: 3_000, currency: 'eur', invoice: null }); // 1.5% of €2,000.00, pending for the next invoice
    expect(items[0].description).toContain(`invoice ${lateInvoice.number}`);
    expect(await feeItems(stripe, other)).toHaveLength(1);

    const rows = await db.dataSource.query(
      `SELECT client_id, status, amount::int, stripe_ids->>'invoiceItem' AS item FROM actions WHERE kind = 'late_fee' ORDER BY client_id`,
    );
    expect(rows).toEqual(expect.arrayContaining([{ client_id: late, status: 'applied', amount: 3_000, item: items[0].id }]));
    expect(rows).toHaveLength(2);
    const mails = await db.dataSource.query(`SELECT subject FROM outbox_messages WHERE kind = 'action' AND client_id = $1`, [late]);
    expect(mails).toEqual([{ subject: 'payrisk: Late fee of €30.00 for Late Larry applied' }]);
  });

  it("lands on the client's next invoice exactly once", async () => {
    const next = await invoice(stripe, late, 50_000);
    const lines = next.lines.data.filter((line) => line.description?.startsWith('Late payment fee'));
    expect(lines).toHaveLength(1);
    expect(lines[0].amount).toBe(3_000);
    expect(next.total).toBe(53_000);
    const afterwards = await invoice(stripe, late, 10_000);
    expect(afterwards.total).toBe(10_000);
    await tools.runner.run(); // records the invoice that now carries the fee (what "collected" is read from)
    const [fee] = await tools.actions.list({ clientId: late, kind: 'late_fee' });
    expect(fee.stripeIds.invoice).toBe(next.id);
  });

  it('a waived fee disappears from Stripe and the waiver is recorded', async () => {
    const [fee] = await tools.actions.list({ clientId: other, kind: 'late_fee' });
    const waived = await tools.actions.waive(fee.id, 'cli');
    expect(waived.status).toBe('waived');
    await expect(stripe.invoiceItems.retrieve(fee.stripeIds.invoiceItem)).rejects.toThrow(/No such invoiceitem/);
    expect(await feeItems(stripe, other)).toHaveLength(0);
    const audit = await actionsQuery.auditOf(db.dataSource.manager, fee.id);
    expect(audit.map((entry) => [entry.fromStatus, entry.toStatus, entry.actor])).toEqual([
      [null, 'proposed', 'system'],
      ['proposed', 'approved', 'system'],
      ['approved', 'applied', 'system'],
      ['applied', 'waived', 'cli'],
    ]);
    await expect(tools.actions.waive(fee.id, 'cli')).rejects.toThrow(/is waived; it cannot become waived/);
    expect((await tools.runner.run()).created).toBe(0); // a waived period is never charged again
  });
});

describe('late fees as separate invoices', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let tools: ReturnType<typeof policyTools>;
  let client: string;
  let original: Stripe.Invoice;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ sandbox, stripe } = await sandboxStartingDaysAgo(40));
    client = await customer(stripe, 'Separate Sam');
    original = await invoice(stripe, client, 1_000_000, 'gbp');
    await sandbox.advanceTime(40 * DAY);
    await sync(db, sandbox, stripe);
    const yaml = `currency: gbp
policies:
  lateFee: { enabled: true, mode: auto, graceDays: 0, preset: uk-late-payment-act, referenceRatePercent: 4, applyAs: separate_invoice }
`;
    tools = policyTools(db, stripe, sandbox, policyConfig(yaml), new FixedClock(sandbox.now()));
  });
  afterAll(async () => {
    await sandbox.stop();
    await db.drop();
  });

  it('sends a fee invoice of its own, once, computed by the statutory preset, and voids it when waived', async () => {
    await tools.runner.run();
    await tools.runner.run();
    const [fee] = await tools.actions.list({ clientId: client });
    expect(fee.status).toBe('applied');
    // £10,000.00 at (4 + 8)% for 33 days = 10849.31p → 10849p, plus £100 compensation for a debt of £10,000 or more.
    expect(fee.amount).toEqual({ amount: 20_849, currency: 'gbp' });
    const feeInvoices: Stripe.Invoice[] = [];
    for await (const inv of stripe.invoices.list({ customer: client })) if (inv.metadata?.payrisk_action_id) feeInvoices.push(inv);
    expect(feeInvoices).toHaveLength(1);
    expect(feeInvoices[0]).toMatchObject({ id: fee.stripeIds.invoice, status: 'open', collection_method: 'send_invoice', total: 20_849, currency: 'gbp' });
    expect(feeInvoices[0].lines.data[0].description).toContain(`invoice ${original.number}`);

    await tools.actions.waive(fee.id, 'api');
    expect((await stripe.invoices.retrieve(fee.stripeIds.invoice)).status).toBe('void');
    await sync(db, sandbox, stripe);
    expect((await tools.runner.run()).created).toBe(0); // the fee invoice never attracts a fee, the waived period is not charged again
  });
});
