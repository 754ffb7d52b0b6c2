import type Stripe from 'stripe';
import type { RunningSandbox } from '../../../src/sandbox';
import { advanceClock, DAY, openSandbox } from './sandbox-fixture';

describe('sandbox: invoices on a test clock, through the official client', () => {
  let sandbox: RunningSandbox;
  let stripe: Stripe;

  beforeAll(async () => {
    ({ sandbox, stripe } = await openSandbox());
  });
  afterAll(() => sandbox.stop());

  it('invoices a customer with a due date, emits invoice.overdue once past due, and takes a late payment', async () => {
    const start = Date.UTC(2026, 0, 5) / 1000;
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start, name: 'late payer' });
    const customer = await stripe.customers.create({ name: 'Acme Ltd', email: 'ap@acme.example', test_clock: clock.id });
    expect(customer.id).toMatch(/^cus_/);
    expect(customer.created).toBe(start);

    const draft = await stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice', days_until_due: 14, currency: 'eur' });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, amount: 120_000, currency: 'eur', description: 'Website redesign' });
    const open = await stripe.invoices.finalizeInvoice(draft.id);
    expect(open.status).toBe('open');
    expect(open.amount_due).toBe(120_000);
    expect(open.due_date).toBe(start + 14 * DAY);
    expect(open.number).toBeTruthy();
    await stripe.invoices.sendInvoice(open.id);

    const advanced = await advanceClock(stripe, clock.id, start + 20 * DAY);
    expect(advanced.status).toBe('ready');
    const overdue = await stripe.events.list({ type: 'invoice.overdue' });
    expect(overdue.data.map((e) => (e.data.object as Stripe.Invoice).id)).toEqual([open.id]);
    await advanceClock(stripe, clock.id, start + 25 * DAY);
    expect((await stripe.events.list({ type: 'invoice.overdue' })).data).toHaveLength(1);

    const paid = await stripe.invoices.pay(open.id, { paid_out_of_band: true });
    expect(paid.status).toBe('paid');
    expect(paid.amount_paid).toBe(120_000);
    expect(paid.amount_remaining).toBe(0);
    expect(paid.status_transitions.paid_at).toBe(start + 25 * DAY);
    expect((paid.status_transitions.paid_at as number) - (paid.due_date as number)).toBe(11 * DAY);
    const types = (await stripe.events.list({ limit: 100, created: { gte: start } })).data.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['invoice.created', 'invoice.finalized', 'invoice.sent', 'invoice.overdue', 'invoice.paid', 'customer.created']),
    );
    const payments = await stripe.invoicePayments.list({ invoice: open.id });
    expect(payments.data[0]).toMatchObject({ invoice: open.id, amount_paid: 120_000, status: 'paid' });
  });

  it('expands customer and payments, voids and marks uncollectible', async () => {
    const customer = await stripe.customers.create({ name: 'Expand Co' });
    const invoice = await stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice', days_until_due: 30, currency: 'usd' });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 5_000, currency: 'usd' });
    await stripe.invoices.finalizeInvoice(invoice.id);
    const expanded = await stripe.invoices.retrieve(invoice.id, { expand: ['customer'] });
    expect((expanded.customer as Stripe.Customer).name).toBe('Expand Co');
    const voided = await stripe.invoices.voidInvoice(invoice.id);
    expect(voided.status).toBe('void');
    expect(voided.status_transitions.voided_at).toEqual(expect.any(Number));

    const second = await stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice', days_until_due: 30, currency: 'usd' });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: second.id, amount: 7_000, currency: 'usd' });
    await stripe.invoices.finalizeInvoice(second.id);
    const bad = await stripe.invoices.markUncollectible(second.id);
    expect(bad.status).toBe('uncollectible');
    const paid = await stripe.invoices.pay(second.id);
    expect(paid.status).toBe('paid');
    const withPayments = await stripe.invoices.retrieve(second.id, { expand: ['payments'] });
    const intentId = withPayments.payments?.data[0].payment.payment_intent as string;
    expect(intentId).toMatch(/^pi_/);
    const intent = await stripe.paymentIntents.retrieve(intentId, { expand: ['latest_charge'] });
    expect((intent.latest_charge as Stripe.Charge).paid).toBe(true);
    const listed = await stripe.invoices.list({ customer: customer.id, status: 'paid', expand: ['data.customer'] });
    expect(listed.data.map((i) => i.id)).toEqual([second.id]);
    expect((listed.data[0].customer as Stripe.Customer).id).toBe(customer.id);
  });

  it("answers errors in Stripe's envelope", async () => {
    await expect(stripe.invoices.retrieve('in_doesnotexist')).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
    });
    await expect(stripe.invoices.create({} as Stripe.InvoiceCreateParams)).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameter_missing',
      param: 'customer',
    });
    await expect(stripe.customers.list({ limit: 1000 })).rejects.toMatchObject({ statusCode: 400, code: 'parameter_invalid_integer' });
    const customer = await stripe.customers.create({ name: 'Paid Co' });
    const inv = await stripe.invoices.create({ customer: customer.id, currency: 'eur' });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: inv.id, amount: 100, currency: 'eur' });
    await stripe.invoices.pay(inv.id, { paid_out_of_band: true });
    await expect(stripe.invoices.voidInvoice(inv.id)).rejects.toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError' });
    const badKey = (await import('../../../src/stripe/stripe-client.factory')).createStripeClient({
      secretKey: 'pk_live_nope',
      apiBase: sandbox.url,
      maxNetworkRetries: 0,
    });
    await expect(badKey.customers.list()).rejects.toMatchObject({ statusCode: 401, type: 'StripeAuthenticationError' });
    // A body that is not form-encoded is the caller's mistake (400), never the sandbox's failure.
    const garbage = await fetch(`${sandbox.url}/v1/customers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sandbox.secretKey}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'name=%%%E0%A4%A',
    });
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    expect((await stripe.customers.list({ limit: 1 })).data).toHaveLength(1); // still serving
  });

  it('updates customer metadata and emits customer.updated', async () => {
    const customer = await stripe.customers.create({ name: 'Meta', metadata: { a: '1', b: '2' } });
    const updated = await stripe.customers.update(customer.id, { metadata: { a: '', c: '3' } });
    expect(updated.metadata).toEqual({ b: '2', c: '3' });
    const events = await stripe.events.list({ type: 'customer.updated' });
    expect((events.data[0].data.object as Stripe.Customer).id).toBe(customer.id);
  });
});
