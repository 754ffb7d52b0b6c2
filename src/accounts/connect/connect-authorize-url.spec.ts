import { connectAuthorizeUrl } from './connect-authorize-url';

describe('connectAuthorizeUrl', () => {
  it("is Stripe's authorize URL for a Standard account: code, client id, read_write, state, redirect", () => {
    const url = new URL(connectAuthorizeUrl({ clientId: 'ca_123', state: 'n.s', redirectUri: 'https://payrisk.example.com/connect/callback' }));
    expect(url.origin + url.pathname).toBe('https://connect.stripe.com/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'ca_123',
      scope: 'read_write',
      state: 'n.s',
      redirect_uri: 'https://payrisk.example.com/connect/callback',
    });
  });

  it('points at the sandbox, port included, when STRIPE_API_BASE is set', () => {
    const url = new URL(
      connectAuthorizeUrl({ clientId: 'ca_1', state: 's', redirectUri: 'http://localhost:3000/connect/callback', apiBase: 'http://127.0.0.1:12111' }),
    );
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:12111/oauth/authorize');
  });
});
