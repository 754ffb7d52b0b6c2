import type Stripe from 'stripe';
import type { RunningSandbox } from '../../../src/sandbox';
import { advanceClock, DAY, openSandbox } from './sandbox-fixture';

describe('sandbox: coupons, credit notes, pending items, subscriptions and schedules', () => {
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  const start = Date.UTC(2026, 3, 1) / 1000;

  beforeAll(async () => {
    ({ sandbox, stripe } = await openSandbox());
  });
  afterAll(() => sandbox.stop());

  const draftWith = async (customer: string, amount: number, extra: Partial<Stripe.InvoiceCreateParams> = {}): Promise<Stripe.Invoice> => {
    const invoice = await stripe.invoices.create({ customer, collection_method: 'send_invoice', days_until_due: 14, currency: 'eur', ...extra });
    await stripe.invoiceItems.create({ customer, invoice: invoice.id, amount, currency: 'eur' });
    return stripe.invoices.retrieve(invoice.id);
  };

  it('applies a coupon to an invoice', async () => {
    const coupon = await stripe.coupons.create({ percent_off: 20, duration: 'once', name: 'Twenty' });
    const customer = await stripe.customers.create({ name: 'Haggler' });
    const invoice = await draftWith(customer.id, 50_000, { discounts: [{ coupon: coupon.id }] });
    expect(invoice.subtotal).toBe(50_000);
    expect(invoice.total).toBe(40_000);
    expect(invoice.total_discount_amounts).toEqual([{ amount: 10_000, discount: expect.stringMatching(/^di_/) }]);
    const expanded = await stripe.invoices.retrieve(invoice.id, { expand: ['discounts'] });
    expect((expanded.discounts[0] as Stripe.Discount).source.coupon).toBe(coupon.id);
    const open = await stripe.invoices.finalizeInvoice(invoice.id);
    expect(open.amount_due).toBe(40_000);
    expect((await stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(1);
  });

  it('issues credit notes before and after payment', async () => {
    const customer = await stripe.customers.create({ name: 'Credit Co' });
    const invoice = await stripe.invoices.finalizeInvoice((await draftWith(customer.id, 30_000)).id);
    const pre = await stripe.creditNotes.create({ invoice: invoice.id, amount: 5_000, reason: 'product_unsatisfactory' });
    expect(pre).toMatchObject({ type: 'pre_payment', amount: 5_000, reason: 'product_unsatisfactory', status: 'issued' });
    const reduced = await stripe.invoices.retrieve(invoice.id);
    expect(reduced.amount_remaining).toBe(25_000);
    expect(reduced.pre_payment_credit_notes_amount).toBe(5_000);
    const paid = await stripe.invoices.pay(invoice.id, { paid_out_of_band: true });
    expect(paid.amount_paid).toBe(25_000);
    const post = await stripe.creditNotes.create({ invoice: invoice.id, amount: 2_000, credit_amount: 2_000 });
    expect(post.type).toBe('post_payment');
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ balance: -2_000 });
    await expect(stripe.creditNotes.create({ invoice: invoice.id, amount: 999_999, out_of_band_amount: 999_999 })).rejects.toMatchObject({ statusCode: 400 });
    expect((await stripe.creditNotes.list({ invoice: invoice.id })).data.map((n) => n.id)).toEqual([post.id, pre.id]);
    expect((await stripe.events.list({ type: 'credit_note.created' })).data.length).toBeGreaterThanOrEqual(2);
  });

  it("pulls a pending invoice item into the customer's next invoice, and deletes another", async () => {
    const customer = await stripe.customers.create({ name: 'Pending Co' });
    const fee = await stripe.invoiceItems.create({ customer: customer.id, amount: 2_500, currency: 'eur', description: 'Late fee' });
    const dropped = await stripe.invoiceItems.create({ customer: customer.id, amount: 900, currency: 'eur', description: 'Mistake' });
    expect(fee.invoice).toBeNull();
    expect(await stripe.invoiceItems.del(dropped.id)).toMatchObject({ id: dropped.id, deleted: true });
    const next = await stripe.invoices.create({
      customer: customer.id,
      collection_method: 'send_invoice',
      days_until_due: 7,
      currency: 'eur',
      pending_invoice_items_behavior: 'include',
    });
    expect(next.amount_due).toBe(2_500);
    const lines = await stripe.invoices.listLineItems(next.id);
    expect(lines.data.map((l) => l.parent?.invoice_item_details?.invoice_item)).toEqual([fee.id]);
    expect((await stripe.invoiceItems.retrieve(fee.id)).invoice).toBe(next.id);
    expect((await stripe.events.list({ type: 'invoiceitem.deleted' })).data[0].data.object).toMatchObject({ id: dropped.id });
  });

  it('renews a subscription on its clock, pauses collection, resumes it and applies a scheduled price change', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    const customer = await stripe.customers.create({ name: 'Retainer Co', test_clock: clock.id });
    const product = await stripe.products.create({ name: 'Retainer' });
    const base = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 100_000, recurring: { interval: 'month' } });
    const raised = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 130_000, recurring: { interval: 'month' } });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: base.id }], expand: ['latest_invoice'] });
    expect((sub.latest_invoice as Stripe.Invoice).status).toBe('paid');
    expect((sub.latest_invoice as Stripe.Invoice).parent?.subscription_details?.subscription).toBe(sub.id);

    const paused = await stripe.subscriptions.update(sub.id, { pause_collection: { behavior: 'mark_uncollectible', resumes_at: start + 45 * DAY } });
    expect(paused.pause_collection).toEqual({ behavior: 'mark_uncollectible', resumes_at: start + 45 * DAY });
    await advanceClock(stripe, clock.id, start + 35 * DAY); // renewal on May 1st while paused
    const afterPause = await stripe.invoices.list({ subscription: sub.id });
    expect(afterPause.data.map((i) => i.status)).toEqual(['uncollectible', 'paid']);
    expect((await stripe.subscriptions.retrieve(sub.id)).pause_collection).not.toBeNull();

    const schedule = await stripe.subscriptionSchedules.create({ from_subscription: sub.id });
    const phaseEnd = schedule.phases[0].end_date;
    const updated = await stripe.subscriptionSchedules.update(schedule.id, {
      phases: [
        { items: [{ price: base.id, quantity: 1 }], start_date: schedule.phases[0].start_date, end_date: phaseEnd },
        { items: [{ price: raised.id, quantity: 1 }], duration: { interval: 'month', interval_count: 12 } },
      ],
    });
    expect(updated.phases).toHaveLength(2);
    await advanceClock(stripe, clock.id, start + 70 * DAY); // resumes on day 45, renews June 1st at the new price
    const current = await stripe.subscriptions.retrieve(sub.id);
    expect(current.pause_collection).toBeNull();
    expect(current.items.data[0].price.id).toBe(raised.id);
    const invoices = await stripe.invoices.list({ subscription: sub.id });
    expect(invoices.data[0]).toMatchObject({ status: 'paid', amount_paid: 130_000 });
    const types = (await stripe.events.list({ limit: 100 })).data.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'customer.subscription.created',
        'customer.subscription.updated',
        'subscription_schedule.created',
        'subscription_schedule.updated',
        'invoice.marked_uncollectible',
      ]),
    );

    const canceled = await stripe.subscriptions.cancel(sub.id);
    expect(canceled.status).toBe('canceled');
    expect((await stripe.events.list({ type: 'customer.subscription.deleted' })).data).toHaveLength(1);
  });

  it("opens and closes a dispute linked to the invoice's payment", async () => {
    const customer = await stripe.customers.create({ name: 'Disputer' });
    const invoice = await stripe.invoices.pay((await stripe.invoices.finalizeInvoice((await draftWith(customer.id, 8_000)).id)).id);
    const dispute = (await stripe.rawRequest('POST', '/v1/test_helpers/disputes', { invoice: invoice.id })) as unknown as Stripe.Dispute;
    expect(dispute.id).toMatch(/^dp_/);
    const listed = await stripe.disputes.list({ payment_intent: dispute.payment_intent as string });
    expect(listed.data.map((d) => d.id)).toEqual([dispute.id]);
    const payments = await stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: dispute.payment_intent as string } });
    expect(payments.data[0].invoice).toBe(invoice.id);
    const closed = await stripe.disputes.close(dispute.id);
    expect(closed.status).toBe('lost');
    const types = (await stripe.events.list({ types: ['charge.dispute.created', 'charge.dispute.closed'] })).data.map((e) => e.type);
    expect(types).toEqual(['charge.dispute.closed', 'charge.dispute.created']);
  });
});
