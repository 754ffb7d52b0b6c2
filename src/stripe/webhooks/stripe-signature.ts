import { createHmac, timingSafeEqual } from 'node:crypto';

/** The only signature scheme Stripe signs webhooks with (`v1=` in Stripe-Signature). */
const SCHEME = 'v1';
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const DIGITS = /^\d+$/;

/** Why a delivery's signature was refused; the message says which check failed. */
export class WebhookSignatureError extends Error {}

/**
 * Checks Stripe-Signature (`t=<unix seconds>,v1=<hex HMAC-SHA256>[,v1=…]`) against the raw
 * body as Stripe documents it: the HMAC of `<t>.<body>` with the endpoint's secret, compared
 * in constant time with each `v1`, and `t` no further than `toleranceSeconds` from `nowSeconds`
 * either way (the stripe library refuses only the past side). Over the raw bytes, without
 * parsing the body: `stripe.webhooks.constructEvent` also decodes and parses it, and the
 * intake parses it once itself. Throws WebhookSignatureError.
 */
export function verifyStripeSignature(rawBody: Buffer, header: string, secret: string, toleranceSeconds: number, nowSeconds: number): void {
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const equals = part.indexOf('=');
    if (equals < 0) continue;
    const key = part.slice(0, equals).trim();
    const value = part.slice(equals + 1).trim();
    if (key === 't' && DIGITS.test(value)) timestamp = Number(value);
    else if (key === SCHEME && HEX_SHA256.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined) throw new WebhookSignatureError('Unable to extract timestamp and signatures from header');
  if (signatures.length === 0) throw new WebhookSignatureError('No signatures found with expected scheme');
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  // Every candidate is compared (no early exit): the time taken says nothing about which matched.
  let matched = false;
  for (const signature of signatures) matched = timingSafeEqual(signature, expected) || matched;
  if (!matched) throw new WebhookSignatureError('No signatures found matching the expected signature for payload');
  if (nowSeconds - timestamp > toleranceSeconds) throw new WebhookSignatureError('Timestamp outside the tolerance zone');
  if (timestamp - nowSeconds > toleranceSeconds) throw new WebhookSignatureError('Timestamp is in the future, outside the tolerance zone');
}
