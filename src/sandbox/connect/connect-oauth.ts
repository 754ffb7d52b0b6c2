import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiKeyOf } from '../http/request-handler';
import { parseForm } from '../http/form-body';

/** An account the sandbox's Connect OAuth can hand out: its id and the key Stripe's `access_token` stands for. */
export interface OAuthAccount {
  accountId: string;
  secretKey: string;
}

/** Stripe's authorization codes are single-use and short-lived (documented: 5 minutes). */
export const OAUTH_CODE_TTL_MS = 5 * 60_000;
const MAX_TOKEN_BODY = 16 * 1024;

interface IssuedCode {
  account: OAuthAccount;
  scope: string;
  expiresAt: number;
}

/**
 * The sandbox playing connect.stripe.com for Standard accounts (OAuth):
 * - `GET /oauth/authorize?response_type=code&client_id=ca_…&scope=…&state=…&redirect_uri=…`
 *   approves at once (nobody is there to click) and redirects to `redirect_uri` with
 *   `code` and `state`; `&decision=deny` redirects with `error=access_denied` as when the
 *   user declines; `&stripe_user_id=acct_…` picks which connected account approves (default:
 *   the first). Stripe falls back to the redirect URI of the platform's settings; the sandbox
 *   has none, so it needs one.
 * - `POST /oauth/token` (the platform's key; `grant_type=authorization_code&code=…`) answers
 *   Stripe's token response: `stripe_user_id`, `livemode`, `scope`, `token_type`,
 *   `access_token`, `refresh_token`, `stripe_publishable_key`; a code unknown, spent or
 *   expired is `400 {"error":"invalid_grant"}` as on Stripe (the client throws StripeInvalidGrantError).
 * Only a sandbox of several accounts plays it: the first is the platform, the others can connect.
 */
export function createConnectOAuth(deps: { platform: OAuthAccount; connected: OAuthAccount[]; nowMs?: () => number }) {
  const nowMs = deps.nowMs ?? (() => Date.now());
  const codes = new Map<string, IssuedCode>();

  const page = (res: ServerResponse, status: number, text: string): void => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`${text}\n`);
  };
  const json = (res: ServerResponse, status: number, body: object): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const oauthError = (res: ServerResponse, status: number, error: string, description: string) => json(res, status, { error, error_description: description });

  const authorize = (url: URL, res: ServerResponse): void => {
    const q = url.searchParams;
    if (deps.connected.length === 0)
      return page(res, 400, 'This sandbox serves one account, so it has no account to connect: start it with `payrisk sandbox --accounts 2` (or more).');
    if (q.get('response_type') !== 'code') return page(res, 400, 'response_type: expected "code"');
    if (!/^ca_[A-Za-z0-9]+$/.test(q.get('client_id') ?? '')) return page(res, 400, "client_id: expected the platform's Connect client id (ca_…)");
    const redirect = q.get('redirect_uri');
    let target: URL;
    try {
      target = new URL(redirect ?? '');
    } catch {
      return page(res, 400, 'redirect_uri: the sandbox has no platform settings to fall back on; give an absolute http(s) URL');
    }
    const state = q.get('state');
    const back = (params: Record<string, string>): void => {
      for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
      if (state !== null) target.searchParams.set('state', state);
      res.writeHead(302, { Location: target.toString() });
      res.end();
    };
    if (q.get('decision') === 'deny') return back({ error: 'access_denied', error_description: 'The user denied your request' });
    const wanted = q.get('stripe_user_id');
    const account = wanted ? deps.connected.find((a) => a.accountId === wanted) : deps.connected[0];
    if (!account) return page(res, 400, `stripe_user_id: no account ${wanted} in this sandbox (GET /v1/accounts lists them)`);
    const scope = q.get('scope') === 'read_only' ? 'read_only' : 'read_write';
    const code = `ac_${randomBytes(16).toString('hex')}`;
    codes.set(code, { account, scope, expiresAt: nowMs() + OAUTH_CODE_TTL_MS });
    back({ code, scope });
  };

  const token = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_TOKEN_BODY) return oauthError(res, 400, 'invalid_request', 'The request body is too large.');
      chunks.push(chunk);
    }
    if (apiKeyOf(req.headers.authorization) !== deps.platform.secretKey)
      return oauthError(
        res,
        401,
        'invalid_client',
        "No such platform: authenticate /oauth/token with the platform's secret key (the first account of the sandbox).",
      );
    let form: Record<string, unknown>;
    try {
      form = parseForm(Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      return oauthError(res, 400, 'invalid_request', error instanceof Error ? error.message : String(error));
    }
    if (form.grant_type !== 'authorization_code')
      return oauthError(res, 400, 'unsupported_grant_type', `Unsupported grant type: ${String(form.grant_type ?? '(none)')}`);
    const code = typeof form.code === 'string' ? form.code : '';
    const issued = codes.get(code);
    codes.delete(code); // single use, whatever the outcome
    if (!issued || issued.expiresAt <= nowMs()) return oauthError(res, 400, 'invalid_grant', `Authorization code does not exist: ${code || '(none)'}`);
    const { account, scope } = issued;
    json(res, 200, {
      access_token: account.secretKey,
      livemode: false,
      refresh_token: `rt_${randomBytes(16).toString('hex')}`,
      token_type: 'bearer',
      stripe_publishable_key: `pk_test_${account.secretKey.slice(-24)}`,
      stripe_user_id: account.accountId,
      scope,
    });
  };

  /** Answers the request when it is Connect's OAuth; false for any other path. */
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (req.method === 'GET' && url.pathname === '/oauth/authorize') {
      req.resume();
      authorize(url, res);
      return true;
    }
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      token(req, res).catch((error: unknown) => oauthError(res, 500, 'server_error', error instanceof Error ? error.message : String(error)));
      return true;
    }
    return false;
  };
}
