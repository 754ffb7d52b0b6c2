import type Stripe from 'stripe';
import { listResponse } from '../http/list-params';
import { noSuch } from '../http/stripe-error';
import { shape } from '../shapes/shape';
import type { RegisterRoutes } from './route-deps';

export const customerRoutes: RegisterRoutes = (router, { ctx }) => {
  const { store, ids, events } = ctx;
  router.on('POST', '/v1/customers', ({ params }) => {
    const clockId = params.str('test_clock');
    if (clockId && !store.testClocks.get(clockId)) throw noSuch('test_clock', clockId, 'test_clock');
    const id = ids.next('cus');
    const at = clockId ? (store.testClocks.get(clockId) as Stripe.TestHelpers.TestClock).frozen_time : ctx.clock.now();
    const customer = shape<Stripe.Customer>('customer', {
      id,
      object: 'customer',
      address: null,
      balance: 0,
      created: at,
      currency: null,
      delinquent: false,
      description: params.str('description') ?? null,
      email: params.str('email') ?? null,
      invoice_prefix: id.slice(4, 12).toUpperCase(),
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: false,
      metadata: params.metadata(),
      name: params.str('name') ?? null,
      next_invoice_sequence: 1,
      phone: params.str('phone') ?? null,
      preferred_locales: params.strings('preferred_locales'),
      shipping: null,
      tax_exempt: 'none',
      test_clock: clockId ?? null,
    });
    store.customers.insert(customer);
    events.emit('customer.created', customer, at);
    return customer;
  });
  router.on('GET', '/v1/customers', ({ params }) => {
    const email = params.str('email');
    const clock = params.str('test_clock');
    return listResponse(store.customers, params, '/v1/customers', {
      index: clock ? { field: 'test_clock', value: clock } : undefined,
      filter: email ? (c) => c.email === email : undefined,
    });
  });
  router.on('GET', '/v1/customers/:id', ({ pathParams }) => ctx.customer(pathParams.id, 'id'));
  router.on('POST', '/v1/customers/:id', ({ pathParams, params }) => {
    const customer = ctx.customer(pathParams.id, 'id');
    const previous: Record<string, unknown> = {};
    for (const key of ['name', 'email', 'description', 'phone'] as const) {
      const value = params.str(key);
      if (value === undefined) continue;
      previous[key] = customer[key];
      customer[key] = value === '' ? null : value;
    }
    if (params.has('metadata')) {
      previous.metadata = customer.metadata;
      customer.metadata = params.metadata(customer.metadata);
    }
    events.emit('customer.updated', customer, ctx.nowFor(customer.id), previous);
    return customer;
  });
};
