import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { resolveAccount } from '../accounts/resolve-account';
import { column, selectRows } from '../database/select-rows';
import { runAsOwner } from '../database/scoped-connections';
import type { CommandRuntime } from './command-runtime';

/**
 * The account a one-shot command works for, when the command did not say (its Stripe
 * connection's, passed by the command that has one): the only added account; else, for the
 * account of the environment, the running server's sandbox account, or the one account the
 * ledger holds (read as the owner: a ledger filled before accounts were added has no other
 * record of it). Undefined when none can be told apart (no data yet, or several accounts
 * and no choice): the command then sees no account's rows, never all of them.
 * TODO(accountrt): `--account ACCT` on every command decides first.
 */
export async function defaultCommandAccount(dataSource: DataSource, runtime: CommandRuntime): Promise<string | undefined> {
  const resolved = await resolveAccount(dataSource.manager).catch(() => undefined);
  if (resolved?.source === 'added') return resolved.account.stripeAccountId;
  if (resolved === undefined) return undefined; // several added: the command must choose
  if (!runtime.config.stripe.secretKey && runtime.server?.sandbox) return runtime.server.sandbox.accountId;
  const held = await runAsOwner(() =>
    selectRows(
      dataSource.manager,
      `SELECT DISTINCT stripe_account_id
         FROM (SELECT stripe_account_id FROM sync_cursors UNION ALL (SELECT stripe_account_id FROM clients LIMIT 1000)) held
        LIMIT 2`,
      [],
      z.object({ stripe_account_id: column.text }),
    ),
  );
  return held.length === 1 ? held[0].stripe_account_id : undefined;
}
