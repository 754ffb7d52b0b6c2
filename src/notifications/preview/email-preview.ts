import { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock';
import { money } from '../../common/money';
import { sqlDaysPastDue, sqlIsPastDue } from '../../common/time';
import type { OwnerEmailKind } from '../../common/notifications/owner-notifier.port';
import type { AppConfig } from '../../config';
import { RiskAlertProducer } from '../alerts/risk-alert.producer';
import { buildDigestData } from '../digest/digest.query';
import { OutboxService } from '../outbox/outbox.service';
import { tableExists } from '../table-exists';
import { renderEmail, RenderedEmail } from '../templates/email-renderer';
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
      return new RiskAlertProducer(dataSource, new OutboxService(dataSource, clock), config, clock).previewData(manager);
    case 'digest': {
      const data = await buildDigestData(manager, now);
      const [{ any }] = (await manager.query(`SELECT EXISTS (SELECT 1 FROM clients) AS any`)) as { any: boolean }[];
      return any ? data : null;
    }
    case 'action':
      return latestAction(manager);
    case 'pause':
    case 'resume':
      return workStatusData(manager, kind, now);
  }
}

async function latestAction(manager: EntityManager): Promise<Record<string, unknown> | null> {
  if (!(await tableExists(manager, 'actions'))) return null;
  const [row] = (await manager.query(
    `SELECT a.id, a.kind, a.status, a.client_id, a.amount::text AS amount, a.currency, a.stripe_ids, a.params, coalesce(c.name, a.client_id) AS name
     FROM actions a LEFT JOIN clients c ON c.id = a.client_id WHERE a.status IN ('applied', 'failed') ORDER BY a.updated_at DESC LIMIT 1`,
  )) as {
    id: string;
    kind: string;
    status: string;
    client_id: string;
    amount: string | null;
    currency: string | null;
    stripe_ids: Record<string, string>;
    params: Record<string, unknown>;
    name: string;
  }[];
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
  const [client] = (await manager.query(
    kind === 'pause'
      ? `SELECT c.id, coalesce(c.name, c.id) AS name FROM clients c JOIN invoices i ON i.client_id = c.id
         WHERE i.status = 'open' AND i.amount_remaining > 0 AND ${sqlIsPastDue('i.due_at', '$1')} ORDER BY i.due_at LIMIT 1`
      : `SELECT c.id, coalesce(c.name, c.id) AS name FROM clients c WHERE $1::timestamptz IS NOT NULL ORDER BY (c.work_status = 'paused') DESC, c.id LIMIT 1`,
    [now],
  )) as { id: string; name: string }[];
  if (!client) return null;
  const rows = (await manager.query(
    `SELECT currency, sum(amount_remaining)::text AS amount, max(${sqlDaysPastDue('due_at', '$2::timestamptz')}) AS days
     FROM invoices WHERE client_id = $1 AND status = 'open' AND amount_remaining > 0 AND ${sqlIsPastDue('due_at', '$2')} GROUP BY currency ORDER BY currency`,
    [client.id, now],
  )) as { currency: string; amount: string; days: number }[];
  return {
    customerId: client.id,
    clientName: client.name,
    arrears: rows.map((r) => money(r.amount, r.currency.trim())),
    oldestDaysPastDue: rows.reduce((max, r) => Math.max(max, r.days), 0),
    reason: kind === 'pause' ? 'preview: the client with the oldest unpaid invoice' : 'preview',
  };
}
