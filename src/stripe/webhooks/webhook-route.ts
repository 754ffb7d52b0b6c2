/** Where `POST /webhooks/stripe…` deliveries come from, which says whose secret verifies them and which account they are for. */
export type WebhookRoute =
  /** `/webhooks/stripe`: the environment's account (STRIPE_WEBHOOK_SECRET, or the built-in sandbox's), as with one account. */
  | { kind: 'environment' }
  /** `/webhooks/stripe/connect`: the platform's Connect endpoint (STRIPE_CONNECT_WEBHOOK_SECRET); each event names its `account`. */
  | { kind: 'connect' }
  /** `/webhooks/stripe/acct_…`: the endpoint of an account added by key, verified with the secret it was added with (`--webhook-secret`). */
  | { kind: 'account'; accountId: string };

export const WEBHOOK_PATH = '/webhooks/stripe';
export const STRIPE_ACCOUNT_ID = /^acct_[A-Za-z0-9]{1,64}$/;

/** The route of a request URL (query string ignored), or undefined when it is none of the webhook endpoints. */
export function webhookRoute(url: string): WebhookRoute | undefined {
  const path = url.split('?', 1)[0];
  if (path === WEBHOOK_PATH) return { kind: 'environment' };
  if (!path.startsWith(`${WEBHOOK_PATH}/`)) return undefined;
  const rest = path.slice(WEBHOOK_PATH.length + 1);
  if (rest === 'connect') return { kind: 'connect' };
  return STRIPE_ACCOUNT_ID.test(rest) ? { kind: 'account', accountId: rest } : undefined;
}
