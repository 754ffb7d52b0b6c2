import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { errorBody } from '../errors/error-body';

/** Bodies the API, the approval pages and /health accept: far more than any request payrisk takes. */
export const API_BODY_LIMIT_BYTES = 100 * 1024;
/** Stripe's webhook events: its biggest (an invoice with many lines, expanded) stay well under this. */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

const isWebhook = (path: string) => path === '/webhooks/stripe' || path.startsWith('/webhooks/stripe/');
const isApprovalPage = (path: string) => path.startsWith('/approvals/');

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** The webhook controller verifies Stripe's signature on the exact bytes received. */
const keepRawBody = (req: Request, _res: Response, buffer: Buffer) => {
  (req as Request & { rawBody?: Buffer }).rawBody = buffer;
};

const kB = (bytes: number) => `${Math.round(bytes / 1024)} kB`;

/** The 413 answer's body, for a limit in bytes (also the raw webhook listener's). */
export const tooLargeBody = (limit: number) => errorBody('payload_too_large', `body: at most ${kB(limit)} accepted here`, { limitBytes: limit });

/**
 * Every request body is read here, once, with an explicit limit: JSON (the API, webhooks with
 * their raw bytes kept), an empty form on the approval pages' buttons, nothing else.
 * gzip/deflate/br bodies are inflated (the limit counts the inflated bytes); a body that is
 * not what its Content-Encoding says is a 400, an unknown encoding a 415, a body over the
 * limit a 413 (before any token check: nothing big is buffered for anyone), another content
 * type a 415. Answers use the one error shape.
 */
export function bodyParsing(): RequestHandler {
  const apiJson = express.json({ limit: API_BODY_LIMIT_BYTES });
  const webhookJson = express.json({ limit: WEBHOOK_BODY_LIMIT_BYTES, verify: keepRawBody });
  const form = express.urlencoded({ limit: API_BODY_LIMIT_BYTES, extended: false, parameterLimit: 20 });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req)) return next();
    const webhook = isWebhook(req.path);
    const limit = webhook ? WEBHOOK_BODY_LIMIT_BYTES : API_BODY_LIMIT_BYTES;
    const done = (error?: unknown) => (error ? answerBodyError(error, limit, req, res) : next());
    if (req.is('application/json')) return (webhook ? webhookJson : apiJson)(req, res, done);
    if (isApprovalPage(req.path) && req.is('application/x-www-form-urlencoded')) return form(req, res, done);
    res.setHeader('Connection', 'close');
    req.resume();
    res.status(415).json(
      errorBody('unsupported_media_type', `Content-Type ${req.headers['content-type'] ?? '(none)'} is not accepted here: send application/json`, {
        contentType: req.headers['content-type'] ?? null,
      }),
    );
  };
}

interface BodyParserError {
  status?: number;
  type?: string;
  encoding?: string;
  length?: number;
  message?: string;
}

function answerBodyError(error: unknown, limit: number, req: Request, res: Response): void {
  const e = (error ?? {}) as BodyParserError;
  const encoding = String(req.headers['content-encoding'] ?? 'identity');
  if (e.type === 'entity.too.large') {
    res.status(413).json(tooLargeBody(limit));
  } else if (e.type === 'encoding.unsupported') {
    res
      .status(415)
      .json(errorBody('unsupported_media_type', `Content-Encoding ${encoding} is not supported: send identity, gzip, deflate or br`, { encoding }));
  } else if (e.type === 'charset.unsupported') {
    res.status(415).json(errorBody('unsupported_media_type', 'body: charset not supported: send UTF-8', {}));
  } else if (e.type === 'entity.parse.failed') {
    res.status(400).json(errorBody('invalid_input', 'body: expected valid JSON', { field: '(body)' }));
  } else if (encoding !== 'identity' && (e.status ?? 400) < 500) {
    res.status(400).json(errorBody('invalid_input', `body: Content-Encoding says ${encoding}, but the body could not be decoded as ${encoding}`, { encoding }));
  } else {
    const status = e.status && e.status >= 400 && e.status < 500 ? e.status : 400;
    res.status(status).json(errorBody(status === 413 ? 'payload_too_large' : 'invalid_input', `body: ${e.message ?? 'could not be read'}`, {}));
  }
}
