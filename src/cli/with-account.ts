import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { resolveAccount } from '../accounts/resolve-account';
import { addedAccountRuntime, environmentRuntime, type AccountRuntime } from '../accounts/runtime/account-runtime';
import { PolicyFiles } from '../accounts/runtime/policy-files';
import { loadDataKey } from '../accounts/secrets/data-key';
import type { AppConfig } from '../config';
import { runForAccount } from '../database/account-scope';
import type { StripeConnection } from '../stripe/stripe-connection';
import { commandRuntime, commandStripe, type CommandRuntime, type StripeNeed } from './command-runtime';
import { withDatabase } from './with-database';

export interface AccountCommand {
  /** `--account ACCT` (an id or a name); undefined = the only added account, or the environment's when none is added. */
  account?: string;
  stripe: StripeNeed;
  /** The command as the user typed it, for the refusal on a sandbox ledger with no sandbox running. */
  command: string;
}

export interface AccountContext {
  dataSource: DataSource;
  runtime: CommandRuntime;
  /** The account the command works for: its Stripe client, owner email, policy file. */
  account: AccountRuntime;
}

/**
 * For the commands that work on one Stripe account: opens the database, resolves
 * `--account` (several added and none given: the error listing them), builds that account's
 * runtime and runs `work` inside `runForAccount(its id)`, so every query and every Stripe
 * call is for that account alone. Without added accounts it is the environment's account,
 * exactly as before (STRIPE_SECRET_KEY, or the sandbox of the running `payrisk start`).
 */
export async function withAccount<T>(config: AppConfig, logger: Logger, options: AccountCommand, work: (context: AccountContext) => Promise<T>): Promise<T> {
  const runtime = await commandRuntime(config);
  return withDatabase(
    config,
    logger,
    async (dataSource, resolvedRuntime) => {
      const resolved = await resolveAccount(dataSource.manager, options.account);
      let connection: StripeConnection | undefined;
      let account: AccountRuntime;
      if (resolved.source === 'environment') {
        connection = await commandStripe(resolvedRuntime, options.stripe, options.command);
        account = environmentRuntime(connection, resolvedRuntime.config, dataSource);
      } else {
        const sandbox = config.stripe.secretKey ? undefined : resolvedRuntime.server?.sandbox;
        account = addedAccountRuntime(resolved.account, {
          config: resolvedRuntime.config,
          dataSource,
          policies: new PolicyFiles(),
          dataKey: () => loadDataKey(config),
          // A connected account is reached with the platform's key; accounts added by key go to the same API base.
          platform: { secretKey: config.stripe.secretKey ?? sandbox?.secretKey, apiBase: config.stripe.apiBase ?? sandbox?.url },
        });
      }
      try {
        return await runForAccount(account.accountId, () => work({ dataSource, runtime: resolvedRuntime, account }));
      } finally {
        await connection?.close();
      }
    },
    runtime,
  );
}
