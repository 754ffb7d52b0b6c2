import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, Server, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { DomainError, errorBody, httpStatusFor } from '../../common/errors';
import { tooLargeBody, WEBHOOK_BODY_LIMIT_BYTES } from '../../common/http/body-parsing';
import type { WebhookIntake } from './webhook-intake';
import { webhookRoute, type WebhookRoute } from './webhook-route';

/**
 * The deliveries this listener answers itself: POST /webhooks/stripe (or /webhooks/stripe/connect,
 * /webhooks/stripe/acct_…: webhook-route.ts) with a JSON body in
 * UTF-8, not compressed: what Stripe sends. Anything else goes on to Express, whose body
 * parsing answers it as for any route (415, inflating gzip, …) before the controller.
 */
function plainStripeDelivery(req: IncomingMessage): WebhookRoute | undefined {
  if (req.method !== 'POST') return undefined;
  const route = webhookRoute(req.url ?? '');
  if (!route) return undefined;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') return undefined;
  const [type, ...parameters] = (req.headers['content-type'] ?? '').split(';');
  if (type.trim().toLowerCase() !== 'application/json') return undefined;
  const utf8 = parameters.every((parameter) => {
    const [name, value = ''] = parameter.split('=', 2);
    return name.trim().toLowerCase() !== 'charset' || ['utf-8', 'utf8'].includes(value.trim().replace(/"/g, '').toLowerCase());
  });
  return utf8 ? route : undefined;
}

/**
 * A node:http request listener for Stripe's webhooks, in front of the Nest/Express app on
 * the same server: a delivery is only read (raw bytes, the same 1 MB limit: 413 above),
 * verified, validated and stored in the inbox by the intake, then answered, without
 * Express's middleware stack, the per-request log line (debug only, in the intake) or a
 * second JSON parse. Measured: that stack cost more than the work itself (bench/README.md).
 * `headers` go on every answer (the security headers every route carries).
 */
export function webhookListener(intake: WebhookIntake, headers: OutgoingHttpHeaders, next: RequestListener): RequestListener {
  const logger = new Logger('WebhookListener');
  const answer = (res: ServerResponse, status: number, body: unknown, close = false) => {
    const json = JSON.stringify(body);
    res.writeHead(status, {
      ...headers,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(json),
      ...(close ? { Connection: 'close' } : {}),
    });
    res.end(json);
  };
  const receive = (res: ServerResponse, body: Buffer | undefined, signature: string | undefined, route: WebhookRoute) =>
    intake.receive(body, signature, route).then(
      (receipt) => answer(res, 200, receipt),
      (error: unknown) => {
        if (error instanceof DomainError) return answer(res, httpStatusFor(error.code), errorBody(error.code, error.message, error.details));
        logger.error(error instanceof Error ? error.stack : String(error));
        answer(res, 500, errorBody('internal', 'Internal error; see the server log for details'));
      },
    );
  return (req, res) => {
    const route = plainStripeDelivery(req);
    if (!route) return next(req, res);
    const signature = req.headers['stripe-signature'];
    const declared = Number(req.headers['content-length'] ?? 0);
    // Nothing big is buffered for anyone: refused before reading, the connection closed after.
    if (declared > WEBHOOK_BODY_LIMIT_BYTES) return answer(res, 413, tooLargeBody(WEBHOOK_BODY_LIMIT_BYTES), true);
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > WEBHOOK_BODY_LIMIT_BYTES) {
        refused = true;
        answer(res, 413, tooLargeBody(WEBHOOK_BODY_LIMIT_BYTES), true);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      void receive(res, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), typeof signature === 'string' ? signature : undefined, route);
    });
    req.on('error', () => res.destroy());
  };
}

/** Puts `listener` in front of the server's own request listener (Express's), which it calls for everything it does not answer. */
export function serveWebhooksFirst(server: Server, listener: (next: RequestListener) => RequestListener): void {
  const existing = server.listeners('request') as RequestListener[];
  if (existing.length !== 1) throw new Error(`expected one request listener on the HTTP server, found ${existing.length}`);
  server.removeListener('request', existing[0]);
  server.on('request', listener(existing[0]));
}
