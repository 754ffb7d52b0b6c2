import type { EntityManager } from 'typeorm';
import { addAccount, listAccounts, loadDataKey, markAccountRemoved } from '../accounts';
import type { AppConfig } from '../config';
import type { SandboxAccountInfo } from '../sandbox/sandbox.types';
import { createStripeClient } from '../stripe/stripe-client.factory';

/** The demo businesses' names, one per account of the built-in sandbox (`payrisk start --businesses N`, N ≤ 5). */
export const DEMO_BUSINESS_NAMES = ['Northwind Studio', 'Harbor Design Co', 'Alder & Finch Architects', 'Maple Street Dental', 'Quarry Lane Agency'];

/**
 * Makes the added accounts those of the built-in sandbox's demo businesses. With several,
 * every one is an added account, as `payrisk accounts add` would store it (its key sealed,
 * its webhook secret, the demo policies; the owner's email is the instance's): the jobs, the
 * account switcher and the All accounts page then see each. The first one is also the
 * environment's account; the others' webhooks reach `/webhooks/stripe/<account>`. Adding
 * again is safe (a restart continues the same businesses). An added account this sandbox
 * does not serve (a business of an earlier `--businesses 3`, now started with fewer) is
 * removed, data kept: its key would reach another business of this sandbox. Returns the ids removed.
 */
export async function syncDemoBusinesses(
  manager: EntityManager,
  accounts: SandboxAccountInfo[],
  apiBase: string,
  config: AppConfig,
  now: Date,
): Promise<string[]> {
  const served = new Set(accounts.map((a) => a.accountId));
  const removed: string[] = [];
  for (const stale of await listAccounts(manager))
    if (!served.has(stale.stripeAccountId) && (await markAccountRemoved(manager, stale.stripeAccountId, now))) removed.push(stale.stripeAccountId);
  if (accounts.length === 1) return removed;
  const dataKey = loadDataKey(config).key;
  for (const [index, account] of accounts.entries()) {
    await addAccount(
      manager,
      {
        name: DEMO_BUSINESS_NAMES[index],
        apiKey: account.secretKey,
        webhookSecret: account.webhookSecret,
        policyFile: config.policyFilePath,
      },
      { stripe: createStripeClient({ secretKey: account.secretKey, apiBase, maxNetworkRetries: 2 }), dataKey, now, cwd: process.cwd() },
    );
  }
  return removed;
}
