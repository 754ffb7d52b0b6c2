export const STRIPE_CONNECTION = Symbol('STRIPE_CONNECTION');

/** Set by `payrisk start` on the embedded defaults: where the in-process sandbox sends its webhooks. */
export const SANDBOX_WEBHOOK_URL = Symbol('SANDBOX_WEBHOOK_URL');
