import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long an OAuth `state` handed out by GET /connect/start stays good: time to sign in to Stripe and approve. */
export const CONNECT_STATE_MINUTES = 10;

/** The HttpOnly cookie that ties a dashboard session's state to the browser that started it. */
export const CONNECT_BROWSER_COOKIE = 'payrisk_connect';

const sign = (secret: string, nonce: string) => createHmac('sha256', secret).update(`payrisk:connect-state:${nonce}`).digest('base64url');

/** What is stored of a state or a browser key: its hash only (a copy of the table connects nothing). */
export const hashOf = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * A new OAuth state: `nonce.signature`. The signature lets the callback refuse a state this
 * payrisk never made without a database read; the nonce (stored hashed) makes it single-use.
 */
export function newConnectState(secret: string): { state: string; nonce: string } {
  const nonce = randomBytes(24).toString('base64url');
  return { state: `${nonce}.${sign(secret, nonce)}`, nonce };
}

/** The nonce of a state this payrisk signed; undefined for anything else (forged, altered, truncated). */
export function nonceOfConnectState(state: string, secret: string): string | undefined {
  const match = /^([A-Za-z0-9_-]{32})\.([A-Za-z0-9_-]{43})$/.exec(state);
  if (!match) return undefined;
  const expected = Buffer.from(sign(secret, match[1]));
  const given = Buffer.from(match[2]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? match[1] : undefined;
}

/** A random value for the browser cookie of a session's state. */
export const newBrowserKey = () => randomBytes(24).toString('base64url');
