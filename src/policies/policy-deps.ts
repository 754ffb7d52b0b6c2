import type Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock';
import type { ClientNotifier } from '../common/notifications/client-notifier.port';
import type { OwnerNotifier } from '../common/notifications/owner-notifier.port';
import type { AppConfig, PolicyFile } from '../config';

/** The account the policies work for: its Stripe client (its key, its budget) and its policy file. */
export interface PolicyAccount {
  accountId: string;
  stripe: Stripe;
  policy: PolicyFile;
}

/** What the policies feature needs from the outside; wired by PoliciesModule, the CLI and tests alike. */
export interface PolicyDeps {
  dataSource: DataSource;
  /** The scoped account's (AccountRuntimes.current() in the server; the command's account in the CLI). */
  account(): Promise<PolicyAccount>;
  notifier: OwnerNotifier;
  /** Sends the price-increase notice to the client when `priceIncrease.sendNotice` is on. */
  clientNotifier: ClientNotifier;
  clock: Clock;
  /** For what is the same for every account (`publicUrl`); the account's policy comes from `account()`. */
  config: Pick<AppConfig, 'publicUrl'>;
  /** The key that signs approval links (src/auth/link-secret.ts). */
  linkSecret: string;
}
