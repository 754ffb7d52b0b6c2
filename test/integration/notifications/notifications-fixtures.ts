import { DataSource } from 'typeorm';
import { FixedClock } from '../../../src/common/clock';
import type { AppConfig } from '../../../src/config';
import { RiskAlertProducer } from '../../../src/notifications/alerts/risk-alert.producer';
import { WeeklyDigestService } from '../../../src/notifications/digest/weekly-digest.service';
import { OutboxOwnerNotifier } from '../../../src/notifications/outbox/outbox-owner-notifier';
import { OutboxSender } from '../../../src/notifications/outbox/outbox-sender';
import { OutboxService } from '../../../src/notifications/outbox/outbox.service';

/** The notifications services wired by hand on a real database (the same classes Nest wires in the app). */
export function notificationsFor(dataSource: DataSource, config: AppConfig, clock: FixedClock) {
  const outbox = new OutboxService(dataSource, clock);
  return {
    outbox,
    notifier: new OutboxOwnerNotifier(outbox, config),
    sender: () => new OutboxSender(outbox, config),
    alerts: new RiskAlertProducer(dataSource, outbox, config, clock),
    digest: new WeeklyDigestService(dataSource, outbox, config, clock),
  };
}

/** Contract B / C tables, for when the risk and policies migrations have not landed in this tree yet. */
export async function ensureContractTables(dataSource: DataSource): Promise<void> {
  await dataSource.query(`CREATE TABLE IF NOT EXISTS risk_assessments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(), run_id uuid NOT NULL DEFAULT gen_random_uuid(), client_id text NOT NULL,
    stripe_account_id text NOT NULL DEFAULT 'acct_test', assessed_at timestamptz NOT NULL, score integer NOT NULL, level text NOT NULL,
    flags text[] NOT NULL DEFAULT '{}', metrics jsonb NOT NULL DEFAULT '{}', evidence jsonb NOT NULL DEFAULT '{}', reasons jsonb NOT NULL DEFAULT '[]')`);
  await dataSource.query(`CREATE TABLE IF NOT EXISTS actions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(), kind text NOT NULL, client_id text NOT NULL, stripe_account_id text NOT NULL DEFAULT 'acct_test',
    status text NOT NULL, invoice_id text, amount bigint, currency char(3), dedupe_key text UNIQUE NOT NULL, params jsonb NOT NULL DEFAULT '{}',
    stripe_ids jsonb NOT NULL DEFAULT '{}', proposed_at timestamptz NOT NULL DEFAULT now(), decided_at timestamptz, applied_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`);
}

export async function insertClient(dataSource: DataSource, id: string, name: string): Promise<void> {
  await dataSource.query(`INSERT INTO clients (id, stripe_account_id, name, stripe_created_at) VALUES ($1, 'acct_test', $2, now())`, [id, name]);
}
