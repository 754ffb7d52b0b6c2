import Stripe from 'stripe';
import { verifyStripeSignature, WebhookSignatureError } from './stripe-signature';

const signer = new Stripe('sk_test_signer');
const SECRET = 'whsec_test_signature';
const NOW = 1_764_000_000;
const body = JSON.stringify({ id: 'evt_sig', object: 'event', type: 'invoice.paid', data: { object: { object: 'invoice', note: 'déjà vu' } } });
/** Signed by the official client, as Stripe signs. */
const header = (payload = body, timestamp = NOW, secret = SECRET) => signer.webhooks.generateTestHeaderString({ payload, secret, timestamp });
const verify =
  (raw: string | Buffer, signature: string, now = NOW) =>
  () =>
    verifyStripeSignature(Buffer.from(raw), signature, SECRET, 300, now);

describe('verifyStripeSignature', () => {
  it('accepts what the official client signs and its own constructEvent accepts, within the tolerance either way', () => {
    expect(signer.webhooks.constructEvent(body, header(), SECRET, 300, undefined, NOW * 1000).id).toBe('evt_sig');
    expect(verify(body, header())).not.toThrow();
    expect(verify(body, header(body, NOW - 300))).not.toThrow();
    expect(verify(body, header(body, NOW + 300))).not.toThrow();
  });

  it('accepts a header with several v1 signatures when one matches (a secret being rolled)', () => {
    const other = header(body, NOW, 'whsec_old').split(',v1=')[1];
    expect(verify(body, `${header()},v1=${other}`)).not.toThrow();
    expect(verify(body, `t=${NOW},v1=${other},${header().split(',')[1]}`)).not.toThrow();
  });

  it.each<[string, () => void, RegExp]>([
    ['another secret', verify(body, header(body, NOW, 'whsec_not_ours')), /No signatures found matching/],
    ['a body changed after signing', verify(body.replace('invoice.paid', 'invoice.voided'), header()), /No signatures found matching/],
    ['a body with a byte appended', verify(Buffer.concat([Buffer.from(body), Buffer.from(' ')]), header()), /No signatures found matching/],
    ['a stale timestamp', verify(body, header(body, NOW - 301)), /tolerance zone/],
    ['a timestamp in the future', verify(body, header(body, NOW + 301)), /future/],
    ['a timestamp changed after signing', verify(body, header().replace(`t=${NOW}`, `t=${NOW + 1}`)), /No signatures found matching/],
    ['no timestamp', verify(body, header().split(',')[1]), /Unable to extract timestamp/],
    ['no v1 signature', verify(body, `t=${NOW},v0=${header().split(',v1=')[1]}`), /No signatures found with expected scheme/],
    ['a v1 that is not 64 hex digits', verify(body, `t=${NOW},v1=${header().split(',v1=')[1].slice(0, 62)}`), /No signatures found with expected scheme/],
    ['garbage', verify(body, 'garbage'), /Unable to extract timestamp/],
  ])('refuses %s', (_name, run, message) => {
    expect(run).toThrow(WebhookSignatureError);
    expect(run).toThrow(message);
  });
});
