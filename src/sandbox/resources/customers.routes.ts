import type Stripe from 'stripe';
import { PreviousAttributes } from '../events/previous-attributes';
import { listResponse } from '../http/list-params';
import { noSuch } from '../http/stripe-error';
import { customerObject } from '../shapes/customer-object';
import type { RegisterRoutes } from './route-deps';

export const customerRoutes: RegisterRoutes = (router, { ctx }) => {
  const { store, ids, events } = ctx;
  router.on('POST', '/v1/customers', ({ params }) => {
    const clockId = params.str('test_clock');
    if (clockId && !store.testClocks.get(clockId)) throw noSuch('test_clock', clockId, 'test_clock');
    const id = ids.next('cus');
    const at = clockId ? (store.testClocks.get(clockId) as Stripe.TestHelpers.TestClock).frozen_time : ctx.clock.now();
    const customer = customerObject({
      id,
      created: at,
      currency: null,
      description: params.str('description'),
      email: params.str('email') ?? null,
      metadata: params.metadata(),
      name: params.str('name') ?? null,
      phone: params.str('phone'),
      preferredLocales: params.strings('preferred_locales'),
      testClock: clockId,
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
    const previous = new PreviousAttributes(customer);
    for (const key of ['name', 'email', 'description', 'phone'] as const) {
      const value = params.str(key);
      if (value !== undefined) previous.set(key, value === '' ? null : value);
    }
    if (params.has('metadata')) previous.set('metadata', params.metadata(customer.metadata));
    events.emit('customer.updated', customer, ctx.nowFor(customer.id), previous.values);
    return customer;
  });
};
