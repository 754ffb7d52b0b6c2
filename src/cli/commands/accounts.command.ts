import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { addAccount, describeAccounts, listAccounts, loadDataKey, markAccountRemoved, purgeAccountData, resolveAccount, type AccountRow } from '../../accounts';
import { renderTable, terminalWidth } from '../../common/table/render-table';
import type { AppConfig } from '../../config';
import { createStripeClient } from '../../stripe/stripe-client.factory';
import { CliError } from '../cli-error';
import { withDatabase } from '../with-database';

export interface AccountsAddOptions {
  name: string;
  key: string;
  webhookSecret?: string;
  ownerEmail?: string;
  config?: string;
}

/** What `list --json` and `show --json` print about an account: never a key, only its hint. */
function accountView(a: AccountRow) {
  return {
    id: a.stripeAccountId,
    name: a.name,
    key: a.apiKeyHint,
    // `connect`: reached with the platform's key and Stripe-Account (no key of its own stored).
    connection: a.connection,
    platform: a.platformAccountId,
    livemode: a.livemode,
    webhookSecret: a.webhookSecretSealed !== null,
    ownerEmail: a.ownerEmail,
    policyFile: a.policyFile,
    defaultCurrency: a.defaultCurrency,
    createdAt: a.createdAt.toISOString(),
    removedAt: a.removedAt?.toISOString() ?? null,
  };
}

const NO_ACCOUNTS =
  'No Stripe accounts added: payrisk works on the one account of STRIPE_SECRET_KEY (or the built-in sandbox), as always.\n' +
  'Add one with: payrisk accounts add --name NAME --key sk_…';

/** `payrisk accounts add --name NAME --key sk_…|rk_… [--webhook-secret whsec_…] [--owner-email E] [--config FILE]`. */
export async function accountsAddCommand(config: AppConfig, logger: Logger, options: AccountsAddOptions): Promise<void> {
  // The key is checked against Stripe (or STRIPE_API_BASE, e.g. `payrisk sandbox`) before anything is stored.
  const stripe = createStripeClient({ secretKey: options.key, apiBase: config.stripe.apiBase, maxNetworkRetries: 2, timeoutMs: 20_000 });
  const dataKey = loadDataKey(config);
  await withDatabase(config, logger, async (dataSource, runtime) => {
    const added = await dataSource.transaction((manager) =>
      addAccount(
        manager,
        { name: options.name, apiKey: options.key, webhookSecret: options.webhookSecret, ownerEmail: options.ownerEmail, policyFile: options.config },
        { stripe, dataKey: dataKey.key, now: runtime.clock.now(), cwd: process.cwd() },
      ),
    );
    console.log(
      `${added.created ? 'Added' : 'Updated'} account ${added.name} (${added.stripeAccountId}), key ${added.apiKeyHint}` +
        `${added.defaultCurrency ? `, currency ${added.defaultCurrency}` : ''}; keys sealed with the data key from ${dataKey.source}.`,
    );
  });
}

/** `payrisk accounts list [--json] [--all]`. */
export async function accountsListCommand(config: AppConfig, logger: Logger, options: { json?: boolean; all?: boolean }): Promise<void> {
  await withDatabase(config, logger, async (dataSource) => {
    const accounts = await listAccounts(dataSource.manager, { includeRemoved: options.all });
    if (options.json) return void process.stdout.write(`${JSON.stringify(accounts.map(accountView), null, 2)}\n`);
    if (accounts.length === 0) return void console.log(NO_ACCOUNTS);
    const rows = accounts.map((a) => [
      a.stripeAccountId,
      a.name,
      a.apiKeyHint ?? `via ${a.platformAccountId ?? 'the platform'}`,
      a.ownerEmail ?? '(OWNER_EMAIL)',
      a.policyFile ?? '(default)',
      a.defaultCurrency ?? '',
      a.removedAt ? `removed ${a.removedAt.toISOString().slice(0, 10)}` : 'active',
    ]);
    console.log(
      renderTable(
        [
          { header: 'ID', wrap: false },
          { header: 'NAME' },
          { header: 'KEY', wrap: false },
          { header: 'OWNER' },
          { header: 'POLICIES' },
          { header: 'CUR' },
          { header: 'STATUS' },
        ],
        rows,
        { width: terminalWidth() },
      ),
    );
  });
}

/** `payrisk accounts show [--account ACCT] [--json]`: the account a command with this `--account` works for. */
export async function accountsShowCommand(config: AppConfig, logger: Logger, options: { account?: string; json?: boolean }): Promise<void> {
  await withDatabase(config, logger, async (dataSource) => {
    const resolved = await resolveAccount(dataSource.manager, options.account);
    if (resolved.source === 'environment') {
      if (options.json) return void process.stdout.write(`${JSON.stringify({ source: 'environment' })}\n`);
      return void console.log(NO_ACCOUNTS);
    }
    if (options.json) return void process.stdout.write(`${JSON.stringify({ source: 'added', ...accountView(resolved.account) }, null, 2)}\n`);
    const a = accountView(resolved.account);
    console.log(
      [
        `${a.name} (${a.id})`,
        `  key ${a.key}${a.livemode ? ' (live)' : ' (test)'}; webhook secret ${a.webhookSecret ? 'stored' : 'none'}`,
        `  owner ${a.ownerEmail ?? '(OWNER_EMAIL)'}; policies ${a.policyFile ?? '(default)'}; currency ${a.defaultCurrency ?? '(unknown)'}`,
        `  added ${a.createdAt}`,
      ].join('\n'),
    );
  });
}

/** An added account by id or name, the removed ones included (so `--purge` finds one removed earlier). */
async function accountFor(manager: EntityManager, idOrName: string): Promise<AccountRow> {
  const all = await listAccounts(manager, { includeRemoved: true });
  const match = all.find((a) => a.stripeAccountId === idOrName) ?? all.find((a) => a.name.toLowerCase() === idOrName.toLowerCase() && !a.removedAt);
  if (match) return match;
  const active = all.filter((a) => !a.removedAt);
  const known = active.length ? `; the accounts are:\n${describeAccounts(active)}` : ' (no account is added: `payrisk accounts list`)';
  throw new CliError(`no added account is called or has the id "${idOrName}"${known}`);
}

/**
 * `payrisk accounts remove ID [--purge [--yes]]`: marks it removed (no work runs for it, its
 * data stays); `--purge` deletes its data from every table in one transaction, and only with
 * `--yes`: without it, prints what would be deleted and exits 1 having changed nothing.
 */
export async function accountsRemoveCommand(config: AppConfig, logger: Logger, idOrName: string, options: { purge?: boolean; yes?: boolean }): Promise<void> {
  await withDatabase(config, logger, async (dataSource, runtime) => {
    const account = await accountFor(dataSource.manager, idOrName);
    const label = `${account.name} (${account.stripeAccountId})`;
    if (!options.purge) {
      const removed = await markAccountRemoved(dataSource.manager, account.stripeAccountId, runtime.clock.now());
      console.log(
        removed
          ? `Removed account ${label}: no work runs for it any more. Its data stays; \`payrisk accounts remove ${account.stripeAccountId} --purge\` deletes it.`
          : `Account ${label} was already removed; \`payrisk accounts remove ${account.stripeAccountId} --purge\` deletes its data.`,
      );
      return;
    }
    const dryRun = !options.yes;
    const counts = await dataSource.transaction((manager) => purgeAccountData(manager, account.stripeAccountId, { dryRun }));
    const rows = counts.filter((c) => c.rows > 0).map((c) => [c.table, String(c.rows)]);
    const total = counts.reduce((sum, c) => sum + c.rows, 0);
    console.log(renderTable([{ header: 'TABLE' }, { header: dryRun ? 'ROWS TO DELETE' : 'ROWS DELETED', align: 'right' }], rows, { width: terminalWidth() }));
    if (dryRun) {
      throw new CliError(
        `Nothing was deleted. This would delete ${total} row(s) of account ${label}, its stored key included, for good.\n` +
          `Run \`payrisk accounts remove ${account.stripeAccountId} --purge --yes\` to delete them.`,
      );
    }
    console.log(`Purged account ${label}: ${total} row(s) deleted in one transaction.`);
  });
}
