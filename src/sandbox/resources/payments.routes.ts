import { listResponse } from '../http/list-params';
import { noSuch } from '../http/stripe-error';
import type { RegisterRoutes } from './route-deps';

export const paymentRoutes: RegisterRoutes = (router, { ctx, billing }) => {
  const { store } = ctx;
  router.on('GET', '/v1/payment_intents', ({ params }) => {
    const customer = params.str('customer');
    return listResponse(store.paymentIntents, params, '/v1/payment_intents', { index: customer ? { field: 'customer', value: customer } : undefined });
  });
  router.on(
    'GET',
    '/v1/payment_intents/:id',
    ({ pathParams }) =>
      store.paymentIntents.get(pathParams.id) ??
      (() => {
        throw noSuch('payment_intent', pathParams.id);
      })(),
  );
  router.on('GET', '/v1/charges', ({ params }) => {
    const customer = params.str('customer');
    const intent = params.str('payment_intent');
    return listResponse(store.charges, params, '/v1/charges', {
      index: intent ? { field: 'payment_intent', value: intent } : customer ? { field: 'customer', value: customer } : undefined,
    });
  });
  router.on(
    'GET',
    '/v1/charges/:id',
    ({ pathParams }) =>
      store.charges.get(pathParams.id) ??
      (() => {
        throw noSuch('charge', pathParams.id);
      })(),
  );

  router.on('GET', '/v1/disputes', ({ params }) => {
    const charge = params.str('charge');
    const intent = params.str('payment_intent');
    return listResponse(store.disputes, params, '/v1/disputes', {
      index: charge ? { field: 'charge', value: charge } : intent ? { field: 'payment_intent', value: intent } : undefined,
    });
  });
  router.on('GET', '/v1/disputes/:id', ({ pathParams }) => billing.disputes.get(pathParams.id));
  router.on('POST', '/v1/disputes/:id', ({ pathParams, params }) => {
    const dispute = billing.disputes.get(pathParams.id);
    dispute.metadata = params.metadata(dispute.metadata);
    ctx.events.emit('charge.dispute.updated', dispute, ctx.nowFor(store.charges.get(dispute.charge as string)?.customer as string | undefined));
    return dispute;
  });
  router.on('POST', '/v1/disputes/:id/close', ({ pathParams }) => {
    const dispute = billing.disputes.get(pathParams.id);
    const charge = store.charges.get(dispute.charge as string);
    return billing.disputes.close(dispute, ctx.nowFor(charge?.customer as string | undefined));
  });
  /**
   * Not a Stripe endpoint: opens a dispute on a charge or on a paid invoice's card payment
   * (on Stripe a test card does this). Call it with `stripe.rawRequest('POST', …)`.
   */
  router.on('POST', '/v1/test_helpers/disputes', ({ params }) => {
    const invoiceId = params.str('invoice');
    const chargeId = params.str('charge');
    const customer = invoiceId ? store.invoices.get(invoiceId)?.customer : chargeId ? store.charges.get(chargeId)?.customer : undefined;
    return billing.disputes.open({ charge: chargeId, invoice: invoiceId }, ctx.nowFor(customer as string | undefined), params.str('reason'));
  });
};
