import type Stripe from 'stripe';
import { PreviousAttributes } from '../events/previous-attributes';
import { listResponse } from '../http/list-params';
import type { Params } from '../http/params';
import { badState, invalid, noSuch } from '../http/stripe-error';
import { listOf } from '../shapes/shape';
import type { RegisterRoutes } from './route-deps';

const COLLECTION = ['charge_automatically', 'send_invoice'];
const STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'];

const couponsOf = (params: Params): string[] | undefined => {
  if (!params.has('discounts')) return undefined;
  return params.list('discounts').map(
    (d, i) =>
      d.str('coupon') ??
      (() => {
        throw invalid(`discounts[${i}][coupon]`, 'Only coupons are supported in discounts.');
      })(),
  );
};

export const invoiceRoutes: RegisterRoutes = (router, { ctx, billing }) => {
  const { store } = ctx;
  const ops = billing.invoices;
  /**
   * A customer's currency is set by its first invoice or invoice item (Stripe's rule), and
   * like any change to a customer it is a `customer.updated` ("whenever any property of a
   * customer changes"): without it a webhook-fed ledger never learns the currency.
   */
  const settleCurrency = <T extends { customer: unknown; currency: string }>(created: T): T => {
    const customer = typeof created.customer === 'string' ? store.customers.get(created.customer) : undefined;
    if (customer && !customer.currency) {
      const previous = new PreviousAttributes(customer);
      previous.set('currency', created.currency);
      ctx.events.emit('customer.updated', customer, ctx.nowFor(customer.id), previous.values);
    }
    return created;
  };
  router.on('POST', '/v1/invoices', ({ params }) => {
    const customer = params.reqStr('customer');
    const collection = params.str('collection_method');
    if (collection && !COLLECTION.includes(collection))
      throw invalid('collection_method', `Invalid collection_method: must be one of ${COLLECTION.join(', ')}`);
    const subscription = params.str('subscription');
    return settleCurrency(
      ops.create(
        {
          customer,
          collectionMethod: collection as Stripe.Invoice.CollectionMethod | undefined,
          daysUntilDue: params.int('days_until_due'),
          dueDate: params.int('due_date'),
          description: params.str('description'),
          metadata: params.metadata(),
          coupons: couponsOf(params),
          currency: params.str('currency'),
          autoAdvance: params.bool('auto_advance'),
          subscription,
          includePending: params.str('pending_invoice_items_behavior') === 'include',
        },
        ctx.nowFor(customer),
      ),
    );
  });
  router.on('GET', '/v1/invoices', ({ params }) => {
    const customer = params.str('customer');
    const subscription = params.str('subscription');
    const status = params.str('status');
    if (status && !STATUSES.includes(status)) throw invalid('status', `Invalid status: must be one of ${STATUSES.join(', ')}`);
    const collection = params.str('collection_method');
    const due = params.obj('due_date');
    const filters: Array<(i: Stripe.Invoice) => boolean> = [];
    if (status) filters.push((i) => i.status === status);
    if (collection) filters.push((i) => i.collection_method === collection);
    if (customer && subscription) filters.push((i) => i.parent?.subscription_details?.subscription === subscription);
    if (due) {
      const [gte, lte] = [due.int('gte'), due.int('lte')];
      filters.push((i) => i.due_date !== null && (gte === undefined || i.due_date >= gte) && (lte === undefined || i.due_date <= lte));
    }
    return listResponse(store.invoices, params, '/v1/invoices', {
      index: customer ? { field: 'customer', value: customer } : subscription ? { field: 'subscription', value: subscription } : undefined,
      filter: filters.length ? (i) => filters.every((f) => f(i)) : undefined,
    });
  });
  router.on('GET', '/v1/invoices/:id', ({ pathParams }) => ops.get(pathParams.id));
  router.on('GET', '/v1/invoices/:id/lines', ({ pathParams, params }) => {
    const invoice = ops.get(pathParams.id);
    const limit = params.int('limit') ?? 10;
    const after = params.str('starting_after');
    const start = after ? invoice.lines.data.findIndex((l) => l.id === after) + 1 : 0;
    const data = invoice.lines.data.slice(start, start + limit);
    return listOf(data, `/v1/invoices/${invoice.id}/lines`, start + limit < invoice.lines.data.length);
  });
  router.on('POST', '/v1/invoices/:id', ({ pathParams, params }) => {
    const invoice = ops.get(pathParams.id);
    return ops.update(
      invoice,
      {
        description: params.str('description'),
        metadata: params.has('metadata') ? params.metadata(invoice.metadata ?? {}) : undefined,
        dueDate: params.int('due_date'),
        daysUntilDue: params.int('days_until_due'),
        coupons: couponsOf(params),
        autoAdvance: params.bool('auto_advance'),
      },
      ctx.nowFor(invoice.customer as string),
    );
  });
  // Stripe deletes one-off drafts only; a finalized or subscription invoice must be voided.
  // The draft's invoice items go with it.
  router.on('DELETE', '/v1/invoices/:id', ({ pathParams }) => {
    const invoice = ops.get(pathParams.id);
    if (invoice.status !== 'draft')
      throw badState(`You can only delete draft invoices. This invoice is ${invoice.status}; void it instead.`, 'invoice_not_editable');
    if (invoice.parent?.subscription_details)
      throw badState('You cannot delete an invoice created by a subscription; void it instead.', 'invoice_not_editable');
    const at = ctx.nowFor(invoice.customer as string);
    for (const item of [...store.invoiceItems.values()]) if (item.invoice === invoice.id) store.invoiceItems.remove(item.id);
    store.invoices.remove(invoice.id);
    store.openInvoices.delete(invoice.id);
    ctx.events.emit('invoice.deleted', invoice, at);
    return { id: invoice.id, object: 'invoice', deleted: true };
  });
  const action = (path: string, run: (invoice: Stripe.Invoice, at: number, params: Params) => Stripe.Invoice) =>
    router.on('POST', `/v1/invoices/:id/${path}`, ({ pathParams, params }) => {
      const invoice = ops.get(pathParams.id);
      return run(invoice, ctx.nowFor(invoice.customer as string), params);
    });
  action('finalize', (invoice, at, params) => {
    const autoAdvance = params.bool('auto_advance');
    if (autoAdvance !== undefined) invoice.auto_advance = autoAdvance;
    return ops.finalize(invoice, at);
  });
  action('send', (invoice, at) => ops.send(invoice, at));
  action('pay', (invoice, at, params) => ops.pay(invoice, at, params.bool('paid_out_of_band') ?? false));
  action('void', (invoice, at) => ops.void(invoice, at));
  action('mark_uncollectible', (invoice, at) => ops.markUncollectible(invoice, at));

  router.on('POST', '/v1/invoiceitems', ({ params }) => {
    const customer = params.reqStr('customer');
    const pricing = params.obj('pricing');
    const period = params.obj('period');
    return settleCurrency(
      ops.createItem(
        {
          customer,
          amount: params.int('amount'),
          unitAmount: params.int('unit_amount'),
          quantity: params.int('quantity'),
          currency: params.str('currency'),
          price: params.str('price') ?? pricing?.str('price'),
          description: params.str('description'),
          invoice: params.str('invoice'),
          subscription: params.str('subscription'),
          metadata: params.metadata(),
          period: period ? { start: period.reqInt('start'), end: period.reqInt('end') } : undefined,
        },
        ctx.nowFor(customer),
      ),
    );
  });
  router.on('GET', '/v1/invoiceitems', ({ params }) => {
    const customer = params.str('customer');
    const invoice = params.str('invoice');
    const pending = params.bool('pending');
    return listResponse(store.invoiceItems, params, '/v1/invoiceitems', {
      index: customer ? { field: 'customer', value: customer } : undefined,
      filter:
        invoice || pending !== undefined
          ? (i) => (!invoice || i.invoice === invoice) && (pending === undefined || (i.invoice === null) === pending)
          : undefined,
    });
  });
  router.on('GET', '/v1/invoiceitems/:id', ({ pathParams }) => {
    const item = store.invoiceItems.get(pathParams.id);
    if (!item) throw noSuch('invoiceitem', pathParams.id);
    return item;
  });
  router.on('DELETE', '/v1/invoiceitems/:id', ({ pathParams }) => {
    const item = store.invoiceItems.get(pathParams.id);
    return ops.deleteItem(pathParams.id, ctx.nowFor(item?.customer as string | undefined));
  });

  router.on('GET', '/v1/invoice_payments', ({ params }) => {
    const invoice = params.str('invoice');
    const payment = params.obj('payment');
    const intent = payment?.str('payment_intent');
    const status = params.str('status');
    return listResponse(store.invoicePayments, params, '/v1/invoice_payments', {
      index: invoice ? { field: 'invoice', value: invoice } : intent ? { field: 'payment_intent', value: intent } : undefined,
      filter: status ? (p) => p.status === status : undefined,
    });
  });
  router.on('GET', '/v1/invoice_payments/:id', ({ pathParams }) => {
    const payment = store.invoicePayments.get(pathParams.id);
    if (!payment) throw noSuch('invoice_payment', pathParams.id);
    return payment;
  });
};
