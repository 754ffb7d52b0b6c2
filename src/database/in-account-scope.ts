import { runForAccount } from './account-scope';

/**
 * For a method of a service bound to one Stripe account (constructed with its id, as the
 * sync and the policy runner are): the method runs in that account's scope, whoever calls
 * it (a job, a command, a test), so its queries see and write that account's rows only.
 * `accountOf` reads the id from the instance (a service whose account follows the caller's
 * scope, as the policies do through `PolicyDeps.account()`, answers it asynchronously). Async methods only.
 */
export function InAccountScope<T>(accountOf: (self: T) => string | Promise<string>) {
  return <M extends (...args: never[]) => Promise<unknown>>(_target: object, _key: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    const method = descriptor.value;
    if (!method) throw new Error('InAccountScope decorates methods only');
    descriptor.value = async function (this: T, ...args: Parameters<M>) {
      const accountId = await accountOf(this);
      return runForAccount(accountId, () => method.apply(this, args));
    } as unknown as M;
  };
}
