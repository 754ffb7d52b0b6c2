import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectRows } from '../../database/select-rows';
import { money } from '../../common/money';
import { sqlIsPastDue } from '../../common/time';
import type { OutstandingInvoice } from '../domain/work-pause-rule';

/** Open invoices past due (`isPastDue`, mirrored by `sqlIsPastDue`) with money owed, per client (all clients, or the ones given). */
export async function loadOutstanding(manager: EntityManager, now: Date, clientIds?: string[]): Promise<Map<string, OutstandingInvoice[]>> {
  const rows = await selectRows(
    manager,
    `SELECT id, number, client_id, due_at, amount_remaining::text, currency, subscription_id
     FROM invoices
     WHERE status = 'open' AND amount_remaining > 0 AND ${sqlIsPastDue('due_at', '$1')} AND ($2::text[] IS NULL OR client_id = ANY($2))
     ORDER BY due_at, id`,
    [now, clientIds ?? null],
    z.object({
      id: column.text,
      number: column.text.nullable(),
      client_id: column.text,
      due_at: column.timestamp,
      amount_remaining: column.bigint,
      currency: column.text,
      subscription_id: column.text.nullable(),
    }),
  );
  const byClient = new Map<string, OutstandingInvoice[]>();
  for (const row of rows) {
    const list = byClient.get(row.client_id) ?? [];
    list.push({
      invoiceId: row.id,
      number: row.number,
      dueAt: row.due_at,
      remaining: money(row.amount_remaining, row.currency.trim()),
      subscriptionId: row.subscription_id,
    });
    byClient.set(row.client_id, list);
  }
  return byClient;
}
