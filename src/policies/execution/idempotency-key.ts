/**
 * Every Stripe write of an action uses a key derived from the action id and the step, so
 * a retry after a crash (or a second instance) replays Stripe's first answer instead of
 * creating a second fee. Stripe keeps keys for 24 hours; the Stripe writers also look for objects
 * already tagged with the action id before creating, for retries later than that.
 */
export function idempotencyKey(actionId: string, step: string): string {
  return `payrisk:${actionId}:${step}`;
}
