import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectOne, selectRows } from '../../database/select-rows';

/** The Stripe account a client belongs to, or undefined when no synced client has this id. */
export async function clientAccountId(manager: EntityManager, clientId: string): Promise<string | undefined> {
  const row = await selectOne(manager, `SELECT stripe_account_id FROM clients WHERE id = $1`, [clientId], z.object({ stripe_account_id: column.text }));
  return row?.stripe_account_id;
}

/** The currencies a client has been billed in, lower case. */
export async function billedCurrencies(manager: EntityManager, clientId: string): Promise<string[]> {
  const rows = await selectRows(
    manager,
    `SELECT DISTINCT lower(trim(currency)) AS currency FROM invoices WHERE client_id = $1`,
    [clientId],
    z.object({ currency: column.text }),
  );
  return rows.map((r) => r.currency);
}

export interface DiscountRequestRow {
  stripeAccountId: string;
  clientId: string;
  currency: string;
  amount: number;
  note: string | null;
  requestedAt: Date;
  createdBy: 'api' | 'cli' | 'demo' | 'dashboard';
}

export async function insertDiscountRequest(manager: EntityManager, request: DiscountRequestRow): Promise<{ id: string }> {
  const [row] = await selectRows(
    manager,
    `INSERT INTO discount_requests (stripe_account_id, client_id, currency, amount, note, requested_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [request.stripeAccountId, request.clientId, request.currency, request.amount, request.note, request.requestedAt, request.createdBy],
    z.object({ id: column.text }),
  );
  return { id: row.id };
}
