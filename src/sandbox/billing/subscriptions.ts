import type Stripe from 'stripe';
import { PreviousAttributes } from '../events/previous-attributes';
import { badState, invalid, missing, noSuch } from '../http/stripe-error';
import { listOf, shape } from '../shapes/shape';
import type { BillingContext } from './billing-context';
import type { InvoiceOps } from './invoices';
import { addInterval } from './period';

export interface ItemInput {
  id?: string;
  price?: string;
  quantity?: number;
  deleted?: boolean;
}

export interface NewSubscription {
  customer: string;
  items: ItemInput[];
  collectionMethod?: 'charge_automatically' | 'send_invoice';
  daysUntilDue?: number;
  metadata?: Record<string, string>;
  description?: string;
}

export type PauseInput = { behavior: 'keep_as_draft' | 'mark_uncollectible' | 'void'; resumesAt: number | null } | null;

/** Subscriptions: an invoice per period, collection that can be paused, cancellation. */
export class SubscriptionOps {
  constructor(
    private readonly ctx: BillingContext,
    private readonly invoices: InvoiceOps,
  ) {}

  get(id: string, param = 'id'): Stripe.Subscription {
    const subscription = this.ctx.store.subscriptions.get(id);
    if (!subscription) throw noSuch('subscription', id, param);
    return subscription;
  }

  price(id: string, param: string): Stripe.Price {
    const price = this.ctx.store.prices.get(id);
    if (!price) throw noSuch('price', id, param);
    if (!price.recurring) throw invalid(param, `The price ${id} is not recurring; subscriptions need a recurring price.`, 'parameter_invalid_string');
    return price;
  }

  private item(subscriptionId: string, price: Stripe.Price, quantity: number, at: number, periodEnd: number): Stripe.SubscriptionItem {
    return shape<Stripe.SubscriptionItem>('subscription_item', {
      id: this.ctx.ids.next('si'),
      object: 'subscription_item',
      created: at,
      current_period_start: at,
      current_period_end: periodEnd,
      discounts: [],
      metadata: {},
      price,
      quantity,
      subscription: subscriptionId,
      tax_rates: [],
    });
  }

  create(input: NewSubscription, at: number): Stripe.Subscription {
    const { store, ids, events } = this.ctx;
    const customer = this.ctx.customer(input.customer);
    if (input.items.length === 0) throw missing('items');
    const prices = input.items.map((item, i) => this.price(item.price ?? '', `items[${i}][price]`));
    const collection = input.collectionMethod ?? 'charge_automatically';
    if (collection === 'send_invoice' && input.daysUntilDue === undefined) throw missing('days_until_due');
    const recurring = prices[0].recurring as Stripe.Price.Recurring;
    const periodEnd = addInterval(at, recurring.interval, recurring.interval_count);
    const id = ids.next('sub');
    const subscription = shape<Stripe.Subscription>('subscription', {
      id,
      object: 'subscription',
      automatic_tax: { enabled: false, liability: null, disabled_reason: null },
      billing_cycle_anchor: at,
      billing_mode: { type: 'classic' },
      cancel_at: null,
      cancel_at_period_end: false,
      canceled_at: null,
      cancellation_details: { comment: null, feedback: null, reason: null },
      collection_method: collection,
      created: at,
      currency: prices[0].currency,
      customer: customer.id,
      days_until_due: input.daysUntilDue ?? null,
      default_tax_rates: [],
      description: input.description ?? null,
      discounts: [],
      ended_at: null,
      invoice_settings: { account_tax_ids: null, issuer: { type: 'self' } },
      items: listOf(
        prices.map((price, i) => this.item(id, price, input.items[i].quantity ?? 1, at, periodEnd)),
        `/v1/subscription_items?subscription=${id}`,
      ),
      latest_invoice: null,
      livemode: false,
      metadata: input.metadata ?? {},
      pause_collection: null,
      payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
      schedule: null,
      start_date: at,
      status: 'active',
      test_clock: customer.test_clock ?? null,
    });
    store.subscriptions.insert(subscription);
    events.emit('customer.subscription.created', subscription, at);
    this.invoicePeriod(subscription, at, periodEnd, 'subscription_create');
    return subscription;
  }

  periodEnd(subscription: Stripe.Subscription): number {
    return subscription.items.data[0].current_period_end;
  }

  /** Bills the period [start, end): pending items included, finalized, then collected unless paused. */
  invoicePeriod(subscription: Stripe.Subscription, start: number, end: number, reason: Stripe.Invoice.BillingReason): Stripe.Invoice {
    const invoice = this.invoices.create(
      {
        customer: subscription.customer as string,
        collectionMethod: subscription.collection_method,
        daysUntilDue: subscription.days_until_due ?? undefined,
        subscription: subscription.id,
        billingReason: reason,
        includePending: true,
        currency: subscription.currency,
        periodStart: start,
        periodEnd: end,
      },
      start,
    );
    for (const item of subscription.items.data) this.invoices.addSubscriptionLine(invoice, item, subscription.id, { start, end });
    subscription.latest_invoice = invoice.id;
    const pause = subscription.pause_collection;
    if (pause?.behavior === 'keep_as_draft') return invoice;
    this.invoices.finalize(invoice, start);
    if (pause?.behavior === 'void' && invoice.status === 'open') this.invoices.void(invoice, start);
    else if (pause?.behavior === 'mark_uncollectible' && invoice.status === 'open') this.invoices.markUncollectible(invoice, start);
    else if (subscription.collection_method === 'charge_automatically' && invoice.status === 'open') this.invoices.pay(invoice, start, false);
    return invoice;
  }

  /** Moves to the next period and bills it (called when a clock passes the period end). */
  renew(subscription: Stripe.Subscription): void {
    const start = this.periodEnd(subscription);
    const recurring = subscription.items.data[0].price.recurring as Stripe.Price.Recurring;
    const end = addInterval(start, recurring.interval, recurring.interval_count);
    for (const item of subscription.items.data) {
      item.current_period_start = start;
      item.current_period_end = end;
    }
    this.ctx.events.emit('customer.subscription.updated', subscription, start, { items: { data: [{ current_period_start: start }] } });
    this.invoicePeriod(subscription, start, end, 'subscription_cycle');
  }

  update(
    subscription: Stripe.Subscription,
    changes: { items?: ItemInput[]; pause?: PauseInput; metadata?: Record<string, string>; cancelAtPeriodEnd?: boolean; description?: string },
    at: number,
  ): Stripe.Subscription {
    if (subscription.status === 'canceled') throw badState('A canceled subscription can only update its metadata.', 'resource_already_canceled');
    const previous = new PreviousAttributes(subscription);
    if (changes.items) {
      previous.keep('items', JSON.parse(JSON.stringify(subscription.items)));
      this.replaceItems(subscription, changes.items, at);
    }
    if (changes.pause !== undefined)
      previous.set('pause_collection', changes.pause ? { behavior: changes.pause.behavior, resumes_at: changes.pause.resumesAt } : null);
    previous.set('metadata', changes.metadata);
    previous.set('description', changes.description);
    if (changes.cancelAtPeriodEnd !== undefined) {
      previous.set('cancel_at_period_end', changes.cancelAtPeriodEnd);
      subscription.cancel_at = changes.cancelAtPeriodEnd ? this.periodEnd(subscription) : null;
    }
    this.ctx.events.emit('customer.subscription.updated', subscription, at, previous.values);
    return subscription;
  }

  /** New prices take effect from the next invoice (no prorations in the sandbox). */
  replaceItems(subscription: Stripe.Subscription, items: ItemInput[], at: number): void {
    const periodEnd = this.periodEnd(subscription);
    const periodStart = subscription.items.data[0].current_period_start;
    items.forEach((input, i) => {
      const existing = input.id ? subscription.items.data.find((item) => item.id === input.id) : undefined;
      if (input.id && !existing) throw noSuch('subscription_item', input.id, `items[${i}][id]`);
      if (existing && input.deleted) {
        subscription.items.data = subscription.items.data.filter((item) => item !== existing);
        return;
      }
      if (existing) {
        if (input.price) existing.price = this.price(input.price, `items[${i}][price]`);
        if (input.quantity !== undefined) existing.quantity = input.quantity;
        return;
      }
      if (!input.price) throw missing(`items[${i}][price]`);
      const item = this.item(subscription.id, this.price(input.price, `items[${i}][price]`), input.quantity ?? 1, at, periodEnd);
      item.current_period_start = periodStart;
      subscription.items.data.push(item);
    });
  }

  cancel(subscription: Stripe.Subscription, at: number): Stripe.Subscription {
    if (subscription.status === 'canceled') throw badState('This subscription is already canceled.', 'resource_already_canceled');
    subscription.status = 'canceled';
    subscription.canceled_at = at;
    subscription.ended_at = at;
    subscription.cancellation_details = {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: 'cancellation_requested',
    } as unknown as Stripe.Subscription.CancellationDetails;
    this.ctx.events.emit('customer.subscription.deleted', subscription, at);
    return subscription;
  }
}
