import type Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock';
import type { ClientNotifier } from '../common/notifications/client-notifier.port';
import type { OwnerNotifier } from '../common/notifications/owner-notifier.port';
import type { AppConfig } from '../config';

/** What the policies feature needs from the outside; wired by PoliciesModule, the CLI and tests alike. */
export interface PolicyDeps {
  dataSource: DataSource;
  stripe: Stripe;
  accountId: string;
  notifier: OwnerNotifier;
  /** Sends the price-increase notice to the client when `priceIncrease.sendNotice` is on. */
  clientNotifier: ClientNotifier;
  clock: Clock;
  config: AppConfig;
  /** The key that signs approval links (src/auth/link-secret.ts). */
  linkSecret: string;
}
