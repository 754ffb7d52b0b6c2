import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STRIPE_API_VERSION } from '../../stripe/stripe-api-version';
import type { FaultInjector } from '../faults/faults';
import { expand, type Resolver, type Virtual } from './expand';
import { MAX_BODY_BYTES, parseForm } from './form-body';
import type { IdempotencyCache } from './idempotency';
import type { JsonCache } from './json-cache';
import { Params } from './params';
import type { Router } from './router';
import { ALLOWED_PARAMS } from './allowed-params.generated';
import { routeKey } from './route-key';
import { isValidationError, StripeApiError, unknownParam } from './stripe-error';

export type ControlHandler = (body: unknown) => unknown;

interface ListPage {
  object: string;
  has_more: boolean;
  data: Array<{ id: string }>;
}

export interface HandlerDeps {
  router: Router;
  idempotency: IdempotencyCache;
  faults: FaultInjector;
  json: JsonCache;
  resolve: Resolver;
  virtual: Virtual;
  /** `/_sandbox/...` endpoints, keyed by "METHOD /path" (JSON in, JSON out, no key needed). */
  control: Map<string, ControlHandler>;
}

class BodyTooLarge extends StripeApiError {
  constructor(limit: number) {
    super(413, 'invalid_request_error', `Request body too large: the sandbox reads at most ${limit} bytes.`, 'request_too_large');
  }
}

/** The body as text; refuses (413) once it passes `limit` bytes, without keeping the rest. */
const readBody = (req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume(); // discard what arrives; the answer closes the connection
      reject(new BodyTooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        chunks.length = 0;
        req.resume();
        reject(new BodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const send = (res: ServerResponse, status: number, body: string | string[], headers: Record<string, string> = {}): void => {
  const chunks = Array.isArray(body) ? body : [body];
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': chunks.reduce((sum, chunk) => sum + Buffer.byteLength(chunk), 0),
    'Request-Id': `req_${randomBytes(7).toString('hex')}`,
    'Stripe-Version': STRIPE_API_VERSION,
    ...headers,
  });
  // One write per piece (no page-sized string: V8 would put it in large-object space).
  res.cork();
  for (const chunk of chunks) res.write(chunk);
  res.end();
  res.uncork();
};

const authError = (message: string): StripeApiError => new StripeApiError(401, 'invalid_request_error', message);

/** The key of an Authorization header (Bearer, or Basic as curl -u sends it). */
export function apiKeyOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  if (header.startsWith('Bearer ')) return header.slice(7).trim();
  if (header.startsWith('Basic ')) return Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0];
  return '';
}

const maskedKey = (key: string) => `${key.slice(0, 12)}${'*'.repeat(Math.max(0, key.length - 12))}`;

/** Any sk_test_/rk_test_ key is accepted (Bearer, or Basic as curl -u sends it). */
function checkKey(header: string | undefined): void {
  const key = apiKeyOf(header);
  if (key === undefined)
    throw authError(
      'You did not provide an API key. You need to provide your API key in the Authorization ' +
        "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  if (!/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(key)) throw authError(`Invalid API Key provided: ${maskedKey(key)}`);
}

/** Stripe's 401 for a key no account of the sandbox has (a sandbox of several accounts only). */
export function invalidKeyError(key: string | undefined, hint: string): StripeApiError {
  return key === undefined ? authError('You did not provide an API key.') : authError(`Invalid API Key provided: ${maskedKey(key)} (${hint})`);
}

/** Stripe's 403 for a `Stripe-Account` the key may not act for (Connect). */
export function noAccessError(key: string, accountId: string): StripeApiError {
  return new StripeApiError(
    403,
    'invalid_request_error',
    `The provided key '${maskedKey(key)}' does not have access to account '${accountId}' ` +
      `(or that account does not exist). Application access may have been revoked.`,
    'account_invalid',
  );
}

/** Answers a request with a Stripe error before any account's handler sees it. */
export function sendStripeError(res: ServerResponse, error: StripeApiError): void {
  send(res, error.status, JSON.stringify(error.toJSON()));
}

/** The whole HTTP surface: control endpoints, faults, auth, idempotency, routing, expansion, errors. */
export function createRequestHandler(deps: HandlerDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://sandbox');
    try {
      const raw = await readBody(req);
      if (url.pathname.startsWith('/_sandbox/')) {
        const control = deps.control.get(`${method} ${url.pathname}`);
        if (!control) throw new StripeApiError(404, 'invalid_request_error', `Unrecognized control endpoint (${method}: ${url.pathname})`);
        let body: unknown = {};
        try {
          body = raw ? JSON.parse(raw) : {};
        } catch {
          throw new StripeApiError(400, 'invalid_request_error', 'Control endpoints take a JSON body.');
        }
        send(res, 200, JSON.stringify((await control(body)) ?? { ok: true }));
        return;
      }
      const fault = deps.faults.forRequest();
      if (fault === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault === '429') {
        const body = new StripeApiError(
          429,
          'invalid_request_error',
          'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.',
          'rate_limit',
        );
        send(res, 429, JSON.stringify(body.toJSON()), { 'Retry-After': String(deps.faults.spec.retryAfterSeconds ?? 1), 'Stripe-Should-Retry': 'true' });
        return;
      }
      if (fault === '500') {
        const body = new StripeApiError(500, 'api_error', 'An unknown error occurred (injected by the sandbox).');
        send(res, 500, JSON.stringify(body.toJSON()), { 'Stripe-Should-Retry': 'true' });
        return;
      }
      checkKey(req.headers.authorization);
      const match = deps.router.match(method, url.pathname);
      if (!match)
        throw new StripeApiError(
          404,
          'invalid_request_error',
          `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        );
      // Stripe answers a body it cannot decode as a bad request (StripeApiError 400), not as its own failure.
      const form = parseForm(method === 'POST' ? raw : url.search.slice(1));
      const expandPaths = Array.isArray(form.expand) ? (form.expand.filter((p) => typeof p === 'string') as string[]) : [];
      delete form.expand;
      // Stripe refuses a parameter its endpoint does not take; the list comes from the stripe package's types.
      const allowed = ALLOWED_PARAMS[routeKey(method, match.route)];
      if (allowed) {
        const unknown = Object.keys(form).find((name) => !allowed.includes(name));
        if (unknown !== undefined) throw unknownParam(unknown);
      }
      const key = typeof req.headers['idempotency-key'] === 'string' && method !== 'GET' ? req.headers['idempotency-key'] : undefined;
      const fingerprint = `${method} ${url.pathname} ${raw}`;
      if (key) {
        const replay = deps.idempotency.lookup(key, fingerprint);
        if (replay) {
          send(res, replay.status, replay.body, { 'Idempotent-Replayed': 'true', 'Idempotency-Key': key });
          return;
        }
      }
      // Writes may change any object: drop serialized copies before and after.
      if (method !== 'GET') deps.json.invalidate();
      let status = 200;
      let body: string[];
      let result: unknown;
      try {
        result = match.handler({ method, path: url.pathname, pathParams: match.pathParams, params: new Params(form), idempotencyKey: key });
        if (method !== 'GET') deps.json.invalidate();
        body = expandPaths.length ? [JSON.stringify(expand(result, expandPaths, deps.resolve, deps.virtual))] : deps.json.body(result);
      } catch (error) {
        // Once the endpoint ran, its answer is the key's answer, a failure (5xx) included;
        // a request refused on its parameters saves nothing, so the corrected one runs.
        if (error instanceof StripeApiError && isValidationError(error)) throw error;
        const apiError =
          error instanceof StripeApiError
            ? error
            : new StripeApiError(500, 'api_error', `Sandbox error: ${error instanceof Error ? error.message : String(error)}`);
        status = apiError.status;
        body = [JSON.stringify(apiError.toJSON())];
      }
      if (key) deps.idempotency.remember(key, fingerprint, status, body);
      send(res, status, body, key ? { 'Idempotency-Key': key } : {});
      // Read-ahead: a client paging with starting_after asks for the next pages next;
      // serialize them while the client is busy parsing this one.
      const page = result as ListPage | undefined;
      if (method === 'GET' && status === 200 && expandPaths.length === 0 && page?.object === 'list' && page.has_more && !form.ending_before) {
        const ahead: object[] = [];
        let cursor = page;
        for (let n = 0; n < 3 && cursor.has_more && cursor.data.length > 0; n += 1) {
          cursor = match.handler({
            method,
            path: url.pathname,
            pathParams: match.pathParams,
            params: new Params({ ...form, starting_after: cursor.data[cursor.data.length - 1].id }),
          }) as ListPage;
          ahead.push(...cursor.data);
        }
        deps.json.warm(ahead);
      }
    } catch (error) {
      const apiError =
        error instanceof StripeApiError
          ? error
          : new StripeApiError(500, 'api_error', `Sandbox error: ${error instanceof Error ? error.message : String(error)}`);
      // A body refused half-read: close the connection rather than read the rest.
      if (!res.headersSent) send(res, apiError.status, JSON.stringify(apiError.toJSON()), apiError instanceof BodyTooLarge ? { Connection: 'close' } : {});
    }
  };
}
