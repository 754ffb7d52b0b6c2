import { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock';
import { money } from '../../common/money';
import type { OwnerEmailKind } from '../../common/notifications/owner-notifier.port';
import { fixedAccountConfig, type AppConfig } from '../../config';
import { RiskAlertProducer } from '../alerts/risk-alert.producer';
import { buildDigestData } from '../digest/digest.query';
import { OutboxService } from '../outbox/outbox.service';
import { renderEmail, RenderedEmail } from '../templates/email-renderer';
import { anyClient, arrearsOf, latestDecidedAction, previewClient } from './preview.query';
import { sampleData } from './sample-data';

export interface EmailPreview extends RenderedEmail {
  source: 'current data' | 'sample data';
}

/** Renders one kind from the database when it holds something to show, otherwise from sample data. Writes nothing. */
export async function previewEmail(dataSource: DataSource, config: AppConfig, clock: Clock, kind: OwnerEmailKind): Promise<EmailPreview> {
  const now = clock.now();
  const current = await currentData(dataSource, config, clock, kind, now);
  const data = current ?? sampleData(kind, now, config.publicUrl);
  return { ...renderEmail(kind, data), source: current ? 'current data' : 'sample data' };
}

async function currentData(dataSource: DataSource, config: AppConfig, clock: Clock, kind: OwnerEmailKind, now: Date): Promise<Record<string, unknown> | null> {
  const manager = dataSource.manager;
  switch (kind) {
    case 'alert':
      return new RiskAlertProducer(dataSource, new OutboxService(dataSource, clock), fixedAccountConfig(config), clock).previewData(manager);
    case 'digest': {
      const data = await buildDigestData(manager, now);
      return (await anyClient(manager)) ? data : null;
    }
    case 'action':
      return latestAction(manager);
    case 'pause':
    case 'resume':
      return workStatusData(manager, kind, now);
  }
}

async function latestAction(manager: EntityManager): Promise<Record<string, unknown> | null> {
  const row = await latestDecidedAction(manager);
  if (!row) return null;
  return {
    actionId: row.id,
    actionKind: row.kind,
    status: row.status,
    customerId: row.client_id,
    clientName: row.name,
    amount: row.amount && row.currency ? money(row.amount, row.currency.trim()) : undefined,
    stripeIds: row.stripe_ids ?? {},
    params: row.params ?? {},
    error: row.status === 'failed' ? String(row.params?.error ?? 'see the action audit trail') : undefined,
  };
}

/** The client with the oldest arrears (pause) or a paused/active client (resume), with arrears from the ledger. */
async function workStatusData(manager: EntityManager, kind: 'pause' | 'resume', now: Date): Promise<Record<string, unknown> | null> {
  const client = await previewClient(manager, kind, now);
  if (!client) return null;
  const rows = await arrearsOf(manager, client.id, now);
  return {
    customerId: client.id,
    clientName: client.name,
    arrears: rows.map((r) => money(r.amount, r.currency.trim())),
    oldestDaysPastDue: rows.reduce((max, r) => Math.max(max, r.days), 0),
    reason: kind === 'pause' ? 'preview: the client with the oldest unpaid invoice' : 'preview',
  };
}
