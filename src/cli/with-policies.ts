import type { Logger } from 'pino';
import { resolveLinkSecret } from '../auth/link-secret';
import { SystemClock } from '../common/clock';
import type { AppConfig } from '../config';
import { OutboxClientNotifier } from '../notifications/outbox/outbox-client-notifier';
import { OutboxOwnerNotifier } from '../notifications/outbox/outbox-owner-notifier';
import { OutboxService } from '../notifications/outbox/outbox.service';
import { ActionsService } from '../policies/actions.service';
import type { PolicyDeps } from '../policies/policy-deps';
import { PolicyRunner } from '../policies/policy-runner';
import { openStripeConnection } from '../stripe/stripe-connection';
import { withDatabase } from './with-database';

export interface PolicyTools {
  runner: PolicyRunner;
  actions: ActionsService;
  deps: PolicyDeps;
}

/**
 * For the policy commands: the database, Stripe (configured account or the built-in
 * sandbox) and the outbox, wired the way PoliciesModule wires them in the server.
 */
export async function withPolicies<T>(config: AppConfig, logger: Logger, work: (tools: PolicyTools) => Promise<T>): Promise<T> {
  return withDatabase(config, logger, async (dataSource) => {
    const connection = await openStripeConnection(config);
    try {
      const clock = new SystemClock();
      const outbox = new OutboxService(dataSource, clock);
      const deps: PolicyDeps = {
        dataSource,
        stripe: connection.stripe,
        accountId: connection.accountId,
        notifier: new OutboxOwnerNotifier(outbox, config),
        clientNotifier: new OutboxClientNotifier(outbox),
        clock,
        config,
        linkSecret: resolveLinkSecret(config),
      };
      const runner = new PolicyRunner(deps);
      return await work({ runner, actions: new ActionsService(deps, runner.executor), deps });
    } finally {
      await connection.close();
    }
  });
}
