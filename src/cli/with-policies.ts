import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { AccountRuntime } from '../accounts/runtime/account-runtime';
import { resolveLinkSecret } from '../auth/link-secret';
import { fixedAccountConfig, type AppConfig } from '../config';
import { OutboxClientNotifier } from '../notifications/outbox/outbox-client-notifier';
import { OutboxOwnerNotifier } from '../notifications/outbox/outbox-owner-notifier';
import { OutboxService } from '../notifications/outbox/outbox.service';
import { ActionsService } from '../policies/actions.service';
import type { PolicyDeps } from '../policies/policy-deps';
import { PolicyRunner } from '../policies/policy-runner';
import type { StripeNeed } from './command-runtime';
import { withAccount } from './with-account';

export interface PolicyTools {
  runner: PolicyRunner;
  actions: ActionsService;
  deps: PolicyDeps;
  account: AccountRuntime;
  dataSource: DataSource;
}

/**
 * For the policy commands: the database, the account's Stripe (its key; on the environment's
 * account STRIPE_SECRET_KEY or the sandbox of the running `payrisk start`), its policy file
 * and its owner's outbox, on payrisk's clock, wired the way PoliciesModule wires them in the
 * server. `stripe: 'writes'` refuses when only a throwaway sandbox could be had (see commandStripe).
 */
export async function withPolicies<T>(
  commandConfig: AppConfig,
  logger: Logger,
  options: { stripe: StripeNeed; command: string; account?: string },
  work: (tools: PolicyTools) => Promise<T>,
): Promise<T> {
  return withAccount(commandConfig, logger, options, async ({ dataSource, runtime, account }) => {
    const outbox = new OutboxService(dataSource, runtime.clock);
    const deps: PolicyDeps = {
      dataSource,
      account: () => Promise.resolve(account),
      notifier: new OutboxOwnerNotifier(outbox, fixedAccountConfig(account.config)),
      clientNotifier: new OutboxClientNotifier(outbox),
      clock: runtime.clock,
      config: runtime.config,
      linkSecret: resolveLinkSecret(runtime.config),
    };
    const runner = new PolicyRunner(deps);
    return work({ runner, actions: new ActionsService(deps, runner.executor), deps, account, dataSource });
  });
}
