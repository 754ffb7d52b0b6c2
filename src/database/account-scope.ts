import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The Stripe account the current work is for (issue 18, many accounts). Everything done for
 * one account — a queued job, an HTTP request, a CLI command — runs inside `runForAccount`;
 * the database layer sets `payrisk.account_id` on the connections it hands out from it, and
 * row-level security then shows and accepts only that account's rows. Outside any scope the
 * setting is empty and the scoped tables show nothing.
 */
const scope = new AsyncLocalStorage<string>();

export function runForAccount<T>(stripeAccountId: string, work: () => Promise<T>): Promise<T> {
  return scope.run(stripeAccountId, work);
}

/** The account of the work under way, or undefined outside `runForAccount`. */
export function scopedAccountId(): string | undefined {
  return scope.getStore();
}
