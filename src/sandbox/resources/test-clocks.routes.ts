import type Stripe from 'stripe';
import { checkAdvanceSpan } from '../clock/advance';
import { listResponse } from '../http/list-params';
import { badState, invalid, noSuch } from '../http/stripe-error';
import { shape } from '../shapes/shape';
import type { RegisterRoutes } from './route-deps';

export const testClockRoutes: RegisterRoutes = (router, { ctx, advanceTestClock }) => {
  const { store, ids } = ctx;
  const get = (id: string): Stripe.TestHelpers.TestClock =>
    store.testClocks.get(id) ??
    (() => {
      throw noSuch('test_clock', id);
    })();
  router.on('POST', '/v1/test_helpers/test_clocks', ({ params }) => {
    const frozen = params.reqInt('frozen_time');
    const clock = shape<Stripe.TestHelpers.TestClock>('test_helpers.test_clock', {
      id: ids.next('clock'),
      object: 'test_helpers.test_clock',
      created: ctx.clock.now(),
      deletes_after: ctx.clock.now() + 30 * 86_400,
      frozen_time: frozen,
      livemode: false,
      name: params.str('name') ?? null,
      status: 'ready',
      status_details: {},
    });
    store.testClocks.insert(clock);
    // A test clock's own events are stamped on its timeline, like the events of the objects on it.
    ctx.events.emit('test_helpers.test_clock.created', clock, clock.frozen_time);
    return clock;
  });
  router.on('GET', '/v1/test_helpers/test_clocks', ({ params }) => listResponse(store.testClocks, params, '/v1/test_helpers/test_clocks'));
  router.on('GET', '/v1/test_helpers/test_clocks/:id', ({ pathParams }) => get(pathParams.id));
  router.on('POST', '/v1/test_helpers/test_clocks/:id/advance', ({ pathParams, params }) => {
    const clock = get(pathParams.id);
    const to = params.reqInt('frozen_time');
    if (clock.status === 'advancing') throw badState('The test clock is already advancing; wait until its status is ready.', 'test_clock_advancing');
    if (to <= clock.frozen_time)
      throw invalid('frozen_time', 'A test clock can only be advanced to a time after its current frozen_time.', 'parameter_invalid_integer');
    checkAdvanceSpan(to - clock.frozen_time, 'frozen_time');
    clock.status = 'advancing';
    clock.status_details = { advancing: { target_frozen_time: to } };
    ctx.events.emit('test_helpers.test_clock.advancing', clock, clock.frozen_time);
    const answer = { ...clock };
    advanceTestClock(clock.id, to);
    return answer;
  });
  router.on('DELETE', '/v1/test_helpers/test_clocks/:id', ({ pathParams }) => {
    get(pathParams.id);
    store.testClocks.remove(pathParams.id);
    return { id: pathParams.id, object: 'test_helpers.test_clock', deleted: true };
  });
};
