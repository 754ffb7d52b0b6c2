import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectOne, selectRows } from '../../database/select-rows';

/** A client's name and email as synced from Stripe (both may be empty there); undefined when no client has this id. */
export async function findClient(manager: EntityManager, clientId: string): Promise<{ id: string; name: string | null; email: string | null } | undefined> {
  return selectOne(
    manager,
    `SELECT id, name, email FROM clients WHERE id = $1`,
    [clientId],
    z.object({ id: column.text, name: column.text.nullable(), email: column.text.nullable() }),
  );
}

/** Client id → name (null when Stripe has none) for the ids that exist. */
export async function clientNames(manager: EntityManager, clientIds: readonly string[]): Promise<Map<string, string | null>> {
  if (clientIds.length === 0) return new Map();
  const rows = await selectRows(
    manager,
    `SELECT id, name FROM clients WHERE id = ANY($1::text[])`,
    [clientIds],
    z.object({ id: column.text, name: column.text.nullable() }),
  );
  return new Map(rows.map((row) => [row.id, row.name]));
}
