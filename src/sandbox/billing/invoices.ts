import type Stripe from 'stripe';
import { PreviousAttributes } from '../events/previous-attributes';
import { badState, invalid, missing, noSuch } from '../http/stripe-error';
import { listOf, shape } from '../shapes/shape';
import { INVOICE_AUTOMATIC_TAX, INVOICE_PAYMENT_SETTINGS, ISSUER_SELF, NONE } from '../shapes/shared-values';
import type { BillingContext } from './billing-context';
import { chargeCard } from './card-payments';
import { buildLine } from './invoice-lines';
import { DAY_SECONDS as DAY } from '../../common/time';

export interface NewInvoice {
  customer: string;
  collectionMethod?: Stripe.Invoice.CollectionMethod;
  daysUntilDue?: number;
  dueDate?: number;
  description?: string | null;
  metadata?: Record<string, string>;
  coupons?: string[];
  subscription?: string;
  billingReason?: Stripe.Invoice.BillingReason;
  includePending?: boolean;
  currency?: string;
  autoAdvance?: boolean;
  periodStart?: number;
  periodEnd?: number;
}

export interface NewInvoiceItem {
  customer: string;
  amount?: number;
  unitAmount?: number;
  quantity?: number;
  currency?: string;
  price?: string;
  description?: string | null;
  invoice?: string;
  subscription?: string;
  metadata?: Record<string, string>;
  period?: { start: number; end: number };
}

/** Invoice lifecycle as Stripe runs it: draft → open → paid | void | uncollectible. */
export class InvoiceOps {
  /** Days until due per send_invoice draft, applied at finalization. */
  private readonly daysUntilDue = new Map<string, number>();

  constructor(private readonly ctx: BillingContext) {}

  get(id: string, param = 'id'): Stripe.Invoice {
    const invoice = this.ctx.store.invoices.get(id);
    if (!invoice) throw noSuch('invoice', id, param);
    return invoice;
  }

  create(input: NewInvoice, at: number): Stripe.Invoice {
    const { store, ids } = this.ctx;
    const customer = this.ctx.customer(input.customer);
    const collection = input.collectionMethod ?? 'charge_automatically';
    if (collection === 'send_invoice' && input.daysUntilDue === undefined && input.dueDate === undefined) throw missing('days_until_due');
    const id = ids.next('in');
    const invoice = shape<Stripe.Invoice>('invoice', {
      id,
      object: 'invoice',
      account_country: 'DE',
      account_name: 'Sandbox Agency',
      amount_due: 0,
      amount_overpaid: 0,
      amount_paid: 0,
      amount_remaining: 0,
      amount_shipping: 0,
      attempt_count: 0,
      attempted: false,
      auto_advance: input.autoAdvance ?? true,
      automatic_tax: INVOICE_AUTOMATIC_TAX,
      billing_reason: input.billingReason ?? 'manual',
      collection_method: collection,
      created: at,
      currency: input.currency ?? customer.currency ?? 'eur',
      customer: customer.id,
      customer_email: customer.email,
      customer_name: customer.name,
      customer_tax_exempt: 'none',
      customer_tax_ids: NONE,
      default_tax_rates: NONE,
      description: input.description ?? null,
      discounts: [],
      due_date: collection === 'send_invoice' ? (input.dueDate ?? null) : null,
      issuer: ISSUER_SELF,
      lines: listOf<Stripe.InvoiceLineItem>([], `/v1/invoices/${id}/lines`),
      livemode: false,
      metadata: input.metadata ?? {},
      parent: input.subscription
        ? { type: 'subscription_details', quote_details: null, subscription_details: { subscription: input.subscription, metadata: {} } }
        : null,
      payment_settings: INVOICE_PAYMENT_SETTINGS,
      period_end: input.periodEnd ?? at,
      period_start: input.periodStart ?? at,
      post_payment_credit_notes_amount: 0,
      pre_payment_credit_notes_amount: 0,
      starting_balance: 0,
      status: 'draft',
      status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
      subtotal: 0,
      subtotal_excluding_tax: 0,
      test_clock: customer.test_clock ?? null,
      total: 0,
      total_discount_amounts: [],
      total_excluding_tax: 0,
      total_pretax_credit_amounts: NONE,
      total_taxes: NONE,
      webhooks_delivered_at: at,
    });
    if (input.daysUntilDue !== undefined) this.daysUntilDue.set(id, input.daysUntilDue);
    store.invoices.insert(invoice);
    if (input.coupons?.length) this.setCoupons(invoice, input.coupons, at);
    if (input.includePending) {
      for (const item of store.invoiceItems.list({ limit: 1_000_000, index: { field: 'customer', value: customer.id } }).data.reverse()) {
        if (item.invoice === null && item.currency === invoice.currency) this.attachItem(invoice, item);
      }
    }
    this.recompute(invoice);
    this.ctx.events.emit('invoice.created', invoice, at);
    return invoice;
  }

  setCoupons(invoice: Stripe.Invoice, couponIds: string[], at: number): void {
    invoice.discounts = couponIds.map((couponId, i) => {
      const coupon = this.ctx.store.coupons.get(couponId);
      if (!coupon) throw noSuch('coupon', couponId, `discounts[${i}][coupon]`);
      const discount = shape<Stripe.Discount>('discount', {
        id: this.ctx.ids.next('di'),
        object: 'discount',
        customer: invoice.customer,
        invoice: invoice.id,
        source: { type: 'coupon', coupon: coupon.id },
        start: at,
        end: null,
      });
      coupon.times_redeemed += 1;
      this.ctx.store.discounts.set(discount.id, discount);
      return discount.id;
    });
    this.recompute(invoice);
  }

  createItem(input: NewInvoiceItem, at: number): Stripe.InvoiceItem {
    const customer = this.ctx.customer(input.customer);
    const price = input.price ? this.ctx.store.prices.get(input.price) : undefined;
    if (input.price && !price) throw noSuch('price', input.price, 'price');
    const quantity = input.quantity ?? 1;
    const unit = price?.unit_amount ?? input.unitAmount;
    const amount = input.amount ?? (unit !== undefined && unit !== null ? unit * quantity : undefined);
    if (amount === undefined) throw missing('amount');
    const currency = input.currency ?? price?.currency;
    if (!currency) throw missing('currency');
    const target = input.invoice ? this.get(input.invoice, 'invoice') : undefined;
    if (target && target.status !== 'draft') throw badState(`You can only add invoice items to draft invoices; invoice ${target.id} is ${target.status}.`);
    const item = shape<Stripe.InvoiceItem>('invoiceitem', {
      id: this.ctx.ids.next('ii'),
      object: 'invoiceitem',
      amount,
      currency,
      customer: customer.id,
      date: at,
      description: input.description ?? null,
      discountable: true,
      discounts: [],
      invoice: null,
      livemode: false,
      metadata: input.metadata ?? {},
      net_amount: amount,
      parent: input.subscription ? { type: 'subscription_details', subscription_details: { subscription: input.subscription } } : null,
      period: input.period ?? { start: at, end: at },
      pricing: price
        ? { type: 'price_details', price_details: { price: price.id, product: price.product as string }, unit_amount_decimal: String(price.unit_amount) }
        : { type: null, unit_amount_decimal: String(Math.round(amount / quantity)) },
      proration: false,
      quantity,
      quantity_decimal: String(quantity),
      tax_rates: [],
      test_clock: customer.test_clock ?? null,
    });
    this.ctx.store.invoiceItems.insert(item);
    if (target) {
      this.attachItem(target, item);
      this.recompute(target);
    }
    this.ctx.events.emit('invoiceitem.created', item, at);
    return item;
  }

  private attachItem(invoice: Stripe.Invoice, item: Stripe.InvoiceItem): void {
    item.invoice = invoice.id;
    const subscription = item.parent?.subscription_details?.subscription ?? null;
    invoice.lines.data.push(
      buildLine(this.ctx, invoice, {
        amount: item.amount,
        description: item.description,
        quantity: item.quantity,
        period: item.period,
        pricing: item.pricing,
        parent: {
          type: 'invoice_item_details',
          invoice_item_details: { invoice_item: item.id, proration: false, proration_details: { credited_items: null }, subscription },
          subscription_item_details: null,
        },
      }),
    );
  }

  /** A subscription item's line on a renewal invoice. */
  addSubscriptionLine(invoice: Stripe.Invoice, item: Stripe.SubscriptionItem, subscriptionId: string, period: { start: number; end: number }): void {
    const amount = (item.price.unit_amount ?? 0) * (item.quantity ?? 1);
    invoice.lines.data.push(
      buildLine(this.ctx, invoice, {
        amount,
        description: `${item.quantity ?? 1} × ${item.price.nickname ?? 'Retainer'}`,
        quantity: item.quantity ?? 1,
        period,
        pricing: {
          type: 'price_details',
          price_details: { price: item.price.id, product: item.price.product as string },
          unit_amount_decimal: String(item.price.unit_amount),
        },
        parent: {
          type: 'subscription_item_details',
          invoice_item_details: null,
          subscription_item_details: {
            invoice_item: null,
            proration: false,
            proration_details: { credited_items: null },
            subscription: subscriptionId,
            subscription_item: item.id,
          },
        },
      }),
    );
    this.recompute(invoice);
  }

  /** Totals from lines, coupons and credit notes; money stays in integer minor units. */
  recompute(invoice: Stripe.Invoice): void {
    const subtotal = invoice.lines.data.reduce((sum, line) => sum + line.amount, 0);
    let remainingBase = subtotal;
    invoice.total_discount_amounts = (invoice.discounts as string[]).map((discountId) => {
      const discount = this.ctx.store.discounts.get(discountId);
      const coupon = discount?.source.coupon ? this.ctx.store.coupons.get(discount.source.coupon as string) : undefined;
      let amount = 0;
      if (coupon?.percent_off) amount = Math.round((remainingBase * coupon.percent_off) / 100);
      else if (coupon?.amount_off && coupon.currency === invoice.currency) amount = Math.min(coupon.amount_off, remainingBase);
      remainingBase -= amount;
      return { amount, discount: discountId };
    });
    const discount = subtotal - remainingBase;
    invoice.subtotal = subtotal;
    invoice.subtotal_excluding_tax = subtotal;
    invoice.total = subtotal - discount;
    invoice.total_excluding_tax = invoice.total;
    invoice.amount_due = Math.max(0, invoice.total - invoice.pre_payment_credit_notes_amount);
    invoice.amount_remaining = invoice.status === 'paid' ? 0 : Math.max(0, invoice.amount_due - invoice.amount_paid);
  }

  finalize(invoice: Stripe.Invoice, at: number): Stripe.Invoice {
    if (invoice.status !== 'draft') throw badState(`This invoice is already finalized, you can't re-finalize a non-draft invoice.`, 'invoice_not_editable');
    const { store } = this.ctx;
    const customer = this.ctx.customer(invoice.customer as string);
    const sequence = (store.invoiceSequence.get(customer.id) ?? 0) + 1;
    store.invoiceSequence.set(customer.id, sequence);
    customer.next_invoice_sequence = sequence + 1;
    invoice.number = `${customer.invoice_prefix}-${String(sequence).padStart(4, '0')}`;
    invoice.status = 'open';
    invoice.status_transitions.finalized_at = at;
    invoice.effective_at = at;
    invoice.hosted_invoice_url = `https://invoice.stripe.com/i/sandbox/${invoice.id}`;
    invoice.invoice_pdf = `https://pay.stripe.com/invoice/sandbox/${invoice.id}/pdf`;
    if (invoice.collection_method === 'send_invoice' && invoice.due_date === null) {
      invoice.due_date = at + (this.daysUntilDue.get(invoice.id) ?? 30) * DAY;
    }
    invoice.next_payment_attempt = invoice.collection_method === 'charge_automatically' && invoice.auto_advance ? at + 3600 : null;
    this.recompute(invoice);
    store.openInvoices.add(invoice.id);
    this.ctx.events.emit('invoice.finalized', invoice, at);
    if (invoice.amount_due === 0) this.markPaid(invoice, at, null);
    return invoice;
  }

  send(invoice: Stripe.Invoice, at: number): Stripe.Invoice {
    if (invoice.collection_method !== 'send_invoice')
      throw badState('You can only manually send an invoice if its collection method is send_invoice.', 'invoice_not_send_invoice');
    if (invoice.status === 'draft') this.finalize(invoice, at);
    if (invoice.status !== 'open') throw badState(`You can only send an open invoice; this invoice is ${invoice.status}.`);
    this.ctx.events.emit('invoice.sent', invoice, at);
    return invoice;
  }

  /** Pays what remains: by card (payment intent + charge) or out of band. */
  pay(invoice: Stripe.Invoice, at: number, outOfBand: boolean): Stripe.Invoice {
    if (invoice.status === 'draft') this.finalize(invoice, at);
    if (invoice.status === 'paid') throw badState('Invoice is already paid.', 'invoice_already_paid');
    if (invoice.status !== 'open' && invoice.status !== 'uncollectible')
      throw badState(`You cannot pay an invoice with status ${invoice.status}.`, 'invoice_not_payable');
    const amount = invoice.amount_remaining;
    let paymentIntent: Stripe.PaymentIntent | null = null;
    if (!outOfBand && amount > 0) paymentIntent = chargeCard(this.ctx, invoice, amount, at);
    this.markPaid(invoice, at, paymentIntent, amount);
    return invoice;
  }

  private markPaid(invoice: Stripe.Invoice, at: number, intent: Stripe.PaymentIntent | null, amount = invoice.amount_remaining): void {
    const { store, ids, events } = this.ctx;
    const previous = { status: invoice.status, amount_paid: invoice.amount_paid, amount_remaining: invoice.amount_remaining };
    invoice.amount_paid += amount;
    invoice.amount_remaining = 0;
    invoice.status = 'paid';
    invoice.attempted = true;
    invoice.attempt_count += intent ? 1 : 0;
    invoice.next_payment_attempt = null;
    invoice.status_transitions.paid_at = at;
    store.openInvoices.delete(invoice.id);
    const payment = shape<Stripe.InvoicePayment>('invoice_payment', {
      id: ids.next('inpay'),
      object: 'invoice_payment',
      amount_paid: amount,
      amount_requested: amount,
      created: at,
      currency: invoice.currency,
      invoice: invoice.id,
      is_default: true,
      livemode: false,
      payment: intent ? { type: 'payment_intent', payment_intent: intent.id } : { type: 'payment_record', payment_record: ids.next('pr') },
      status: 'paid',
      status_transitions: { canceled_at: null, paid_at: at },
    });
    store.invoicePayments.insert(payment);
    events.emit('invoice_payment.paid', payment, at);
    events.emit('invoice.paid', invoice, at, previous);
    if (intent) events.emit('invoice.payment_succeeded', invoice, at, previous);
  }

  void(invoice: Stripe.Invoice, at: number): Stripe.Invoice {
    if (invoice.status !== 'open' && invoice.status !== 'uncollectible')
      throw badState(`You can only void open or uncollectible invoices; this invoice is ${invoice.status}.`, 'invoice_not_voidable');
    invoice.status = 'void';
    invoice.status_transitions.voided_at = at;
    invoice.next_payment_attempt = null;
    invoice.amount_remaining = 0;
    this.ctx.store.openInvoices.delete(invoice.id);
    this.ctx.events.emit('invoice.voided', invoice, at);
    return invoice;
  }

  markUncollectible(invoice: Stripe.Invoice, at: number): Stripe.Invoice {
    if (invoice.status !== 'open') throw badState(`You can only mark open invoices uncollectible; this invoice is ${invoice.status}.`);
    invoice.status = 'uncollectible';
    invoice.status_transitions.marked_uncollectible_at = at;
    invoice.next_payment_attempt = null;
    this.ctx.store.openInvoices.delete(invoice.id);
    this.ctx.events.emit('invoice.marked_uncollectible', invoice, at);
    return invoice;
  }

  update(
    invoice: Stripe.Invoice,
    changes: { description?: string; metadata?: Record<string, string>; dueDate?: number; daysUntilDue?: number; coupons?: string[]; autoAdvance?: boolean },
    at: number,
  ): Stripe.Invoice {
    const draftOnly = changes.dueDate !== undefined || changes.daysUntilDue !== undefined || changes.coupons !== undefined;
    if (draftOnly && invoice.status !== 'draft')
      throw invalid('due_date', 'Finalized invoices can only update description, metadata and a few other fields.', 'invoice_not_editable');
    const previous = new PreviousAttributes(invoice);
    previous.set('description', changes.description);
    previous.set('metadata', changes.metadata);
    previous.set('due_date', changes.dueDate);
    if (changes.daysUntilDue !== undefined) this.daysUntilDue.set(invoice.id, changes.daysUntilDue);
    previous.set('auto_advance', changes.autoAdvance);
    if (changes.coupons !== undefined) {
      previous.keep('discounts');
      this.setCoupons(invoice, changes.coupons, at);
    }
    this.ctx.events.emit('invoice.updated', invoice, at, previous.values);
    return invoice;
  }

  deleteItem(id: string, at: number): { id: string; object: 'invoiceitem'; deleted: true } {
    const item = this.ctx.store.invoiceItems.get(id);
    if (!item) throw noSuch('invoiceitem', id);
    const invoice = item.invoice ? this.ctx.store.invoices.get(item.invoice as string) : undefined;
    if (invoice && invoice.status !== 'draft')
      throw badState('You cannot delete an invoice item that is attached to a finalized invoice.', 'invoice_not_editable');
    if (invoice) {
      invoice.lines.data = invoice.lines.data.filter((line) => line.parent?.invoice_item_details?.invoice_item !== id);
      this.recompute(invoice);
    }
    this.ctx.store.invoiceItems.remove(id);
    this.ctx.events.emit('invoiceitem.deleted', item, at);
    return { id, object: 'invoiceitem', deleted: true };
  }

  /** Stripe sends `invoice.overdue` once, when an open send_invoice invoice passes its due date. */
  checkOverdue(invoice: Stripe.Invoice, at: number): void {
    if (invoice.status !== 'open' || invoice.due_date === null || invoice.due_date > at || this.ctx.store.overdueSent.has(invoice.id)) return;
    this.ctx.store.overdueSent.add(invoice.id);
    this.ctx.events.emit('invoice.overdue', invoice, Math.max(invoice.due_date, Math.min(at, invoice.due_date + 3600)));
  }
}
