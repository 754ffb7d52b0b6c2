/** Stripe's Connect host: where the authorize page and POST /oauth/token live. */
export const STRIPE_CONNECT_BASE = 'https://connect.stripe.com';

/**
 * Stripe's authorize URL for a Standard account (OAuth). Built here rather than with
 * `stripe.oauth.authorizeUrl()`, which always writes `https://<host>/` and drops the port, so it
 * cannot point at the sandbox. With STRIPE_API_BASE set (the sandbox) the page is there,
 * exactly where the client sends `oauth.token` then (its `host` replaces connect.stripe.com too).
 */
export function connectAuthorizeUrl(options: { clientId: string; state: string; redirectUri: string; apiBase?: string }): string {
  const url = new URL('/oauth/authorize', options.apiBase ?? STRIPE_CONNECT_BASE);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId,
    scope: 'read_write',
    state: options.state,
    redirect_uri: options.redirectUri,
  }).toString();
  return url.toString();
}
