import type Stripe from 'stripe';
import { STRIPE_API_VERSION } from '../../stripe/stripe-api-version';
import { listResponse } from '../http/list-params';
import { missing, noSuch } from '../http/stripe-error';
import { shape } from '../shapes/shape';
import type { RegisterRoutes } from './route-deps';

/** Stripe lists and retrieves events of the last 30 days only. */
export const EVENT_RETENTION_SECONDS = 30 * 86_400;

export const eventRoutes: RegisterRoutes = (router, { ctx, dispatcher }) => {
  const { store, ids } = ctx;
  const retained = (event: Stripe.Event): boolean => ctx.events.retentionTime(event) >= ctx.clock.now() - EVENT_RETENTION_SECONDS;
  router.on('GET', '/v1/events', ({ params }) => {
    const type = params.str('type');
    const types = params.strings('types');
    // `invoice.*` style wildcards are allowed in `type`, as on Stripe.
    const wildcard = type?.endsWith('.*') ? type.slice(0, -1) : undefined;
    const byType = wildcard ? (e: Stripe.Event) => e.type.startsWith(wildcard) : types.length ? (e: Stripe.Event) => types.includes(e.type) : undefined;
    return listResponse(store.events, params, '/v1/events', {
      index: type && !wildcard ? { field: 'type', value: type } : undefined,
      filter: byType ? (e) => retained(e) && byType(e) : retained,
    });
  });
  router.on('GET', '/v1/events/:id', ({ pathParams }) => {
    const event = store.events.get(pathParams.id);
    if (!event || !retained(event)) throw noSuch('event', pathParams.id);
    return event;
  });

  router.on('POST', '/v1/webhook_endpoints', ({ params }) => {
    const url = params.reqStr('url');
    const enabled = params.strings('enabled_events');
    if (enabled.length === 0) throw missing('enabled_events');
    const secret = `whsec_${ids.next('x').slice(2)}`;
    const endpoint = createEndpoint(url, enabled, secret, params.str('api_version') ?? null, params.str('description') ?? null, params.metadata());
    return { ...endpoint, secret };
  });
  const createEndpoint = (
    url: string,
    enabled: string[],
    secret: string,
    apiVersion: string | null,
    description: string | null,
    metadata: Record<string, string>,
  ): Stripe.WebhookEndpoint => {
    const endpoint = shape<Stripe.WebhookEndpoint>('webhook_endpoint', {
      id: ids.next('we'),
      object: 'webhook_endpoint',
      api_version: apiVersion,
      created: ctx.clock.now(),
      description,
      enabled_events: enabled,
      livemode: false,
      metadata,
      status: 'enabled',
      url,
    });
    store.webhookEndpoints.insert(endpoint);
    dispatcher.secrets.set(endpoint.id, secret);
    return endpoint;
  };
  router.on('GET', '/v1/webhook_endpoints', ({ params }) => listResponse(store.webhookEndpoints, params, '/v1/webhook_endpoints'));
  router.on(
    'GET',
    '/v1/webhook_endpoints/:id',
    ({ pathParams }) =>
      store.webhookEndpoints.get(pathParams.id) ??
      (() => {
        throw noSuch('webhook_endpoint', pathParams.id);
      })(),
  );
  router.on('POST', '/v1/webhook_endpoints/:id', ({ pathParams, params }) => {
    const endpoint = store.webhookEndpoints.get(pathParams.id);
    if (!endpoint) throw noSuch('webhook_endpoint', pathParams.id);
    const enabled = params.strings('enabled_events');
    if (enabled.length) endpoint.enabled_events = enabled;
    const url = params.str('url');
    if (url) endpoint.url = url;
    const disabled = params.bool('disabled');
    if (disabled !== undefined) endpoint.status = disabled ? 'disabled' : 'enabled';
    endpoint.metadata = params.metadata(endpoint.metadata);
    return endpoint;
  });
  router.on('DELETE', '/v1/webhook_endpoints/:id', ({ pathParams }) => {
    if (!store.webhookEndpoints.get(pathParams.id)) throw noSuch('webhook_endpoint', pathParams.id);
    store.webhookEndpoints.remove(pathParams.id);
    dispatcher.secrets.delete(pathParams.id);
    return { id: pathParams.id, object: 'webhook_endpoint', deleted: true };
  });
};

/** Registers an endpoint at start (`--webhook-url`), with a known secret. */
export function registerEndpoint(deps: Parameters<RegisterRoutes>[1], url: string, secret: string): Stripe.WebhookEndpoint {
  const endpoint = shape<Stripe.WebhookEndpoint>('webhook_endpoint', {
    id: deps.ctx.ids.next('we'),
    object: 'webhook_endpoint',
    api_version: STRIPE_API_VERSION,
    created: deps.ctx.clock.now(),
    description: 'registered at sandbox start',
    enabled_events: ['*'],
    livemode: false,
    metadata: {},
    status: 'enabled',
    url,
  });
  deps.ctx.store.webhookEndpoints.insert(endpoint);
  deps.dispatcher.secrets.set(endpoint.id, secret);
  return endpoint;
}
