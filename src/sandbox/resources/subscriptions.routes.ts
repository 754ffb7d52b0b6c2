import type Stripe from 'stripe';
import type { ItemInput, PauseInput } from '../billing/subscriptions';
import type { PhaseInput } from '../billing/schedules';
import { listResponse } from '../http/list-params';
import type { Params } from '../http/params';
import { invalid, missing } from '../http/stripe-error';
import type { RegisterRoutes } from './route-deps';

const PAUSE = ['keep_as_draft', 'mark_uncollectible', 'void'];

const itemsOf = (params: Params): ItemInput[] | undefined =>
  params.has('items')
    ? params.list('items').map((item) => ({ id: item.str('id'), price: item.str('price'), quantity: item.int('quantity'), deleted: item.bool('deleted') }))
    : undefined;

const pauseOf = (params: Params): PauseInput | undefined => {
  if (!params.has('pause_collection')) return undefined;
  if (params.raw.pause_collection === '') return null;
  const pause = params.obj('pause_collection') as Params;
  const behavior = pause.reqStr('behavior');
  if (!PAUSE.includes(behavior)) throw invalid('pause_collection[behavior]', `Invalid behavior: must be one of ${PAUSE.join(', ')}`);
  return { behavior: behavior as 'void', resumesAt: pause.int('resumes_at') ?? null };
};

const phasesOf = (params: Params, now: number): PhaseInput[] | undefined => {
  if (!params.has('phases')) return undefined;
  return params.list('phases').map((phase, i) => {
    const items = phase.list('items').map((item, j) => ({
      price:
        item.str('price') ??
        (() => {
          throw missing(`phases[${i}][items][${j}][price]`);
        })(),
      quantity: item.int('quantity'),
    }));
    const when = (name: string): number | undefined => (phase.str(name) === 'now' ? now : phase.int(name));
    const duration = phase.obj('duration');
    return {
      items,
      startDate: when('start_date'),
      endDate: when('end_date'),
      iterations: phase.int('iterations'),
      duration: duration ? { interval: duration.reqStr('interval'), intervalCount: duration.int('interval_count') ?? 1 } : undefined,
    };
  });
};

export const subscriptionRoutes: RegisterRoutes = (router, { ctx, billing }) => {
  const { store } = ctx;
  const subs = billing.subscriptions;
  router.on('POST', '/v1/subscriptions', ({ params }) => {
    const customer = params.reqStr('customer');
    const collection = params.str('collection_method');
    return subs.create(
      {
        customer,
        items: itemsOf(params) ?? [],
        collectionMethod: collection as 'send_invoice' | undefined,
        daysUntilDue: params.int('days_until_due'),
        metadata: params.metadata(),
        description: params.str('description'),
      },
      ctx.nowFor(customer),
    );
  });
  router.on('GET', '/v1/subscriptions', ({ params }) => {
    const customer = params.str('customer');
    const status = params.str('status');
    return listResponse(store.subscriptions, params, '/v1/subscriptions', {
      index: customer ? { field: 'customer', value: customer } : undefined,
      // Stripe hides canceled subscriptions unless asked for them (`status=canceled` or `all`).
      filter: status === 'all' ? undefined : status ? (s) => s.status === status : (s) => s.status !== 'canceled',
    });
  });
  router.on('GET', '/v1/subscriptions/:id', ({ pathParams }) => subs.get(pathParams.id));
  router.on('POST', '/v1/subscriptions/:id', ({ pathParams, params }) => {
    const subscription = subs.get(pathParams.id);
    return subs.update(
      subscription,
      {
        items: itemsOf(params),
        pause: pauseOf(params),
        metadata: params.has('metadata') ? params.metadata(subscription.metadata) : undefined,
        cancelAtPeriodEnd: params.bool('cancel_at_period_end'),
        description: params.str('description'),
      },
      ctx.nowFor(subscription.customer as string),
    );
  });
  router.on('DELETE', '/v1/subscriptions/:id', ({ pathParams }) => {
    const subscription = subs.get(pathParams.id);
    return subs.cancel(subscription, ctx.nowFor(subscription.customer as string));
  });

  const scheduleAt = (schedule: Stripe.SubscriptionSchedule): number => ctx.nowFor(schedule.customer as string);
  router.on('POST', '/v1/subscription_schedules', ({ params }) => {
    const from = params.str('from_subscription');
    if (!from) throw missing('from_subscription');
    const subscription = subs.get(from, 'from_subscription');
    const at = ctx.nowFor(subscription.customer as string);
    const schedule = billing.schedules.fromSubscription(from, at);
    if (params.has('phases') || params.has('end_behavior')) {
      return billing.schedules.update(schedule, phasesOf(params, at), params.str('end_behavior') as 'release' | undefined, undefined, at);
    }
    return schedule;
  });
  router.on('GET', '/v1/subscription_schedules', ({ params }) => {
    const customer = params.str('customer');
    return listResponse(store.schedules, params, '/v1/subscription_schedules', { index: customer ? { field: 'customer', value: customer } : undefined });
  });
  router.on('GET', '/v1/subscription_schedules/:id', ({ pathParams }) => billing.schedules.get(pathParams.id));
  router.on('POST', '/v1/subscription_schedules/:id', ({ pathParams, params }) => {
    const schedule = billing.schedules.get(pathParams.id);
    const at = scheduleAt(schedule);
    const endBehavior = params.str('end_behavior');
    if (endBehavior && !['release', 'cancel'].includes(endBehavior)) throw invalid('end_behavior', 'Invalid end_behavior: must be one of release, cancel');
    return billing.schedules.update(
      schedule,
      phasesOf(params, at),
      endBehavior as 'release' | undefined,
      params.has('metadata') ? params.metadata(schedule.metadata ?? {}) : undefined,
      at,
    );
  });
  router.on('POST', '/v1/subscription_schedules/:id/release', ({ pathParams }) => {
    const schedule = billing.schedules.get(pathParams.id);
    return billing.schedules.release(schedule, scheduleAt(schedule));
  });
  router.on('POST', '/v1/subscription_schedules/:id/cancel', ({ pathParams }) => {
    const schedule = billing.schedules.get(pathParams.id);
    return billing.schedules.cancel(schedule, scheduleAt(schedule));
  });
};
