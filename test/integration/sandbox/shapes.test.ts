import type Stripe from 'stripe';
import type { RunningSandbox } from '../../../src/sandbox';
import { stripeFixtures } from '../../support/stripe-fixtures';
import { openSandbox } from './sandbox-fixture';
import { OMITTED_WHEN_NULL } from '../../../src/sandbox/shapes/shape';

/** Stripe's own example objects (stripe/openapi fixtures3.json), the ground truth for shapes. */
const fixtures = stripeFixtures();

// Optional in the pinned API's types and left out when unset, as Stripe does (the fixture is older).
const omitted = (kind: string): readonly string[] => (OMITTED_WHEN_NULL as Record<string, readonly string[] | undefined>)[kind] ?? [];
const missingKeys = (kind: string, served: object): string[] => Object.keys(fixtures[kind]).filter((key) => !(key in served) && !omitted(kind).includes(key));

describe("sandbox: served objects carry every key of Stripe's fixtures", () => {
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  const served = new Map<string, object>();

  beforeAll(async () => {
    ({ sandbox, stripe } = await openSandbox({ seed: 'demo' }));
    const disputer = sandbox.personas.find((p) => p.persona === 'disputer') as { customerId: string };
    const haggler = sandbox.personas.find((p) => p.persona === 'discount_hunter') as { customerId: string };
    const customer = await stripe.customers.retrieve(disputer.customerId);
    served.set('customer', customer);
    const invoice = (await stripe.invoices.list({ customer: haggler.customerId, limit: 100 })).data.find(
      (i) => i.total_discount_amounts?.length,
    ) as Stripe.Invoice;
    served.set('invoice', invoice);
    served.set('line_item', (await stripe.invoices.listLineItems(invoice.id)).data[0]);
    served.set('discount', (await stripe.invoices.retrieve(invoice.id, { expand: ['discounts'] })).discounts[0] as Stripe.Discount);
    served.set('credit_note', (await stripe.creditNotes.list({ customer: haggler.customerId })).data[0]);
    served.set('credit_note_line_item', (await stripe.creditNotes.list({ customer: haggler.customerId })).data[0].lines.data[0]);
    const subscription = (await stripe.subscriptions.list({ customer: disputer.customerId })).data[0];
    served.set('subscription', subscription);
    served.set('subscription_item', subscription.items.data[0]);
    served.set('subscription_schedule', await stripe.subscriptionSchedules.create({ from_subscription: subscription.id }));
    const dispute = (await stripe.disputes.list()).data[0];
    served.set('dispute', dispute);
    served.set('charge', await stripe.charges.retrieve(dispute.charge as string));
    served.set('payment_intent', await stripe.paymentIntents.retrieve(dispute.payment_intent as string));
    served.set('invoice_payment', (await stripe.invoicePayments.list({ invoice: invoice.id })).data[0]);
    served.set('price', await stripe.prices.retrieve(subscription.items.data[0].price.id));
    served.set('product', await stripe.products.retrieve(subscription.items.data[0].price.product as string));
    served.set('coupon', await stripe.coupons.retrieve('LOYAL15'));
    served.set('event', (await stripe.events.list({ limit: 1 })).data[0]);
    const item = await stripe.invoiceItems.create({ customer: customer.id, amount: 100, currency: 'eur' });
    served.set('invoiceitem', item);
    served.set('deleted_invoiceitem', await stripe.invoiceItems.del(item.id));
    const endpoint = await stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/hook', enabled_events: ['*'] });
    served.set('webhook_endpoint', await stripe.webhookEndpoints.retrieve(endpoint.id));
    served.set('deleted_webhook_endpoint', await stripe.webhookEndpoints.del(endpoint.id));
    served.set('test_helpers.test_clock', await stripe.testHelpers.testClocks.create({ frozen_time: 1_800_000_000 }));
    served.set('account', await stripe.accounts.retrieveCurrent());
  });
  afterAll(() => sandbox.stop());

  const kinds = [
    'account',
    'customer',
    'product',
    'price',
    'coupon',
    'discount',
    'invoice',
    'line_item',
    'invoiceitem',
    'deleted_invoiceitem',
    'credit_note',
    'credit_note_line_item',
    'subscription',
    'subscription_item',
    'subscription_schedule',
    'payment_intent',
    'charge',
    'dispute',
    'invoice_payment',
    'event',
    'webhook_endpoint',
    'deleted_webhook_endpoint',
    'test_helpers.test_clock',
  ];

  it.each(kinds)('%s', (kind) => {
    const object = served.get(kind) as Record<string, unknown>;
    expect(object).toBeDefined();
    expect(missingKeys(kind, object)).toEqual([]);
    expect(object.object).toBe(fixtures[kind].object);
  });
});
