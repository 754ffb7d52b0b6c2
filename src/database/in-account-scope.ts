import { runForAccount } from './account-scope';

/**
 * For a method of a service bound to one Stripe account (constructed with its id, as the
 * sync and the policy runner are): the method runs in that account's scope, whoever calls
 * it (a job, a command, a test), so its queries see and write that account's rows only.
 * `accountOf` reads the id from the instance. Async methods only.
 */
export function InAccountScope<T>(accountOf: (self: T) => string) {
  return <M extends (...args: never[]) => Promise<unknown>>(_target: object, _key: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    const method = descriptor.value;
    if (!method) throw new Error('InAccountScope decorates methods only');
    descriptor.value = function (this: T, ...args: Parameters<M>) {
      return runForAccount(accountOf(this), () => method.apply(this, args));
    } as M;
  };
}
