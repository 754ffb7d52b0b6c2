import type { Logger } from 'pino';
import { resolveLinkSecret } from '../auth/link-secret';
import type { AppConfig } from '../config';
import { scopedAccountId } from '../database/account-scope';
import { OutboxClientNotifier } from '../notifications/outbox/outbox-client-notifier';
import { OutboxOwnerNotifier } from '../notifications/outbox/outbox-owner-notifier';
import { OutboxService } from '../notifications/outbox/outbox.service';
import { ActionsService } from '../policies/actions.service';
import type { PolicyDeps } from '../policies/policy-deps';
import { PolicyRunner } from '../policies/policy-runner';
import { commandRuntime, commandStripe, NO_SANDBOX_ACCOUNT, type StripeNeed } from './command-runtime';
import { withDatabase } from './with-database';

export interface PolicyTools {
  runner: PolicyRunner;
  actions: ActionsService;
  deps: PolicyDeps;
}

/**
 * For the policy commands: the database, Stripe (the configured account, or the sandbox of
 * the running `payrisk start`) and the outbox, on payrisk's clock, wired the way
 * PoliciesModule wires them in the server. `stripe: 'writes'` refuses, before the database
 * is opened, when only a throwaway sandbox could be had (see commandStripe).
 */
export async function withPolicies<T>(
  commandConfig: AppConfig,
  logger: Logger,
  options: { stripe: StripeNeed; command: string },
  work: (tools: PolicyTools) => Promise<T>,
): Promise<T> {
  const runtime = await commandRuntime(commandConfig);
  const connection = await commandStripe(runtime, options.stripe, options.command);
  try {
    return await withDatabase(
      runtime.config,
      logger,
      async (dataSource, { clock, config }) => {
        const outbox = new OutboxService(dataSource, clock);
        const deps: PolicyDeps = {
          dataSource,
          stripe: connection.stripe,
          // Without a Stripe connection (a read next to no server), the account withDatabase chose for the ledger.
          accountId: connection.accountId === NO_SANDBOX_ACCOUNT ? (scopedAccountId() ?? NO_SANDBOX_ACCOUNT) : connection.accountId,
          notifier: new OutboxOwnerNotifier(outbox, config),
          clientNotifier: new OutboxClientNotifier(outbox),
          clock,
          config,
          linkSecret: resolveLinkSecret(config),
        };
        const runner = new PolicyRunner(deps);
        return work({ runner, actions: new ActionsService(deps, runner.executor), deps });
      },
      runtime,
      { account: connection.accountId === NO_SANDBOX_ACCOUNT ? undefined : connection.accountId },
    );
  } finally {
    await connection.close();
  }
}
