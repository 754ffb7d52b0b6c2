import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { signatureHeader } from './signature';

describe('signatureHeader', () => {
  it("is accepted by the official client's constructEvent and rejected with another secret", () => {
    const stripe = new Stripe('sk_test_x');
    const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'invoice.paid' });
    const header = signatureHeader(payload, 'whsec_test', Math.floor(Date.now() / 1000));
    expect(stripe.webhooks.constructEvent(payload, header, 'whsec_test').id).toBe('evt_1');
    expect(() => stripe.webhooks.constructEvent(payload, header, 'whsec_other')).toThrow();
  });

  it('matches a known vector', () => {
    expect(signatureHeader('{}', 'whsec_abc', 1700000000)).toBe(`t=1700000000,v1=${createHmac('sha256', 'whsec_abc').update('1700000000.{}').digest('hex')}`);
  });
});
