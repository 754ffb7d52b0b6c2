import { webhookRoute } from './webhook-route';

describe('webhookRoute', () => {
  it('tells the three endpoints apart, with or without a query string', () => {
    expect(webhookRoute('/webhooks/stripe')).toEqual({ kind: 'environment' });
    expect(webhookRoute('/webhooks/stripe?x=1')).toEqual({ kind: 'environment' });
    expect(webhookRoute('/webhooks/stripe/connect')).toEqual({ kind: 'connect' });
    expect(webhookRoute('/webhooks/stripe/acct_1AbC')).toEqual({ kind: 'account', accountId: 'acct_1AbC' });
    expect(webhookRoute('/webhooks/stripe/acct_1AbC?y')).toEqual({ kind: 'account', accountId: 'acct_1AbC' });
  });

  it('is none of them for any other path (Express answers those)', () => {
    for (const url of ['/webhooks/stripes', '/webhooks/stripe/', '/webhooks/stripe/acct_', '/webhooks/stripe/cus_1', '/webhooks/stripe/acct_1/x', '/api/x'])
      expect(webhookRoute(url)).toBeUndefined();
  });
});
