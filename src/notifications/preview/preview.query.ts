import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { sqlDaysPastDue, sqlIsPastDue } from '../../common/time';
import { column, selectOne, selectRows } from '../../database/select-rows';

// What `payrisk emails preview` reads to render an email from the ledger instead of sample data.

export async function anyClient(manager: EntityManager): Promise<boolean> {
  const row = await selectOne(manager, `SELECT EXISTS (SELECT 1 FROM clients) AS any`, [], z.object({ any: column.boolean }));
  return row?.any === true;
}

/** The action applied or failed most recently, with its client's name (the id when Stripe has none). */
export async function latestDecidedAction(manager: EntityManager) {
  return selectOne(
    manager,
    `SELECT a.id, a.kind, a.status, a.client_id, a.amount, a.currency, a.stripe_ids, a.params, coalesce(c.name, a.client_id) AS name
     FROM actions a LEFT JOIN clients c ON c.id = a.client_id WHERE a.status IN ('applied', 'failed') ORDER BY a.updated_at DESC LIMIT 1`,
    [],
    z.object({
      id: column.text,
      kind: column.text,
      status: column.text,
      client_id: column.text,
      amount: column.bigint.nullable(),
      currency: column.text.nullable(),
      stripe_ids: z.record(z.string(), z.string()),
      params: column.json,
      name: column.text,
    }),
  );
}

/** The client with the oldest unpaid invoice past due (`pause`), or a paused client before an active one (`resume`). */
export async function previewClient(manager: EntityManager, kind: 'pause' | 'resume', now: Date) {
  return selectOne(
    manager,
    kind === 'pause'
      ? `SELECT c.id, coalesce(c.name, c.id) AS name FROM clients c JOIN invoices i ON i.client_id = c.id
         WHERE i.status = 'open' AND i.amount_remaining > 0 AND ${sqlIsPastDue('i.due_at', '$1')} ORDER BY i.due_at LIMIT 1`
      : `SELECT c.id, coalesce(c.name, c.id) AS name FROM clients c WHERE $1::timestamptz IS NOT NULL ORDER BY (c.work_status = 'paused') DESC, c.id LIMIT 1`,
    [now],
    z.object({ id: column.text, name: column.text }),
  );
}

/** The client's arrears per currency and the days past due of the oldest (common/time's definitions). */
export async function arrearsOf(manager: EntityManager, clientId: string, now: Date) {
  return selectRows(
    manager,
    `SELECT currency, sum(amount_remaining)::text AS amount, max(${sqlDaysPastDue('due_at', '$2::timestamptz')}) AS days
     FROM invoices WHERE client_id = $1 AND status = 'open' AND amount_remaining > 0 AND ${sqlIsPastDue('due_at', '$2')} GROUP BY currency ORDER BY currency`,
    [clientId, now],
    z.object({ currency: column.text, amount: column.bigint, days: column.int }),
  );
}
