import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectOne, selectRows } from '../../database/select-rows';

export type WorkStatus = 'active' | 'paused';

/** The client's work status and the applied pause or resume that set it; undefined when no client has this id. */
export async function workStatusOf(manager: EntityManager, clientId: string) {
  return selectOne(
    manager,
    `SELECT c.id, c.work_status, a.id AS action_id, a.reason, a.applied_at
     FROM clients c
     LEFT JOIN LATERAL (SELECT id, reason, applied_at FROM actions
       WHERE client_id = c.id AND kind IN ('work_pause', 'work_resume') AND status = 'applied' ORDER BY applied_at DESC LIMIT 1) a ON true
     WHERE c.id = $1`,
    [clientId],
    z.object({
      id: column.text,
      work_status: z.enum(['active', 'paused']),
      action_id: column.text.nullable(),
      reason: column.text.nullable(),
      applied_at: column.timestamp.nullable(),
    }),
  );
}

/** payrisk's own record of the pause; Stripe's mirror of it is the work-status applier's. */
export async function setWorkStatus(manager: EntityManager, clientId: string, status: WorkStatus): Promise<void> {
  await manager.query(`UPDATE clients SET work_status = $2 WHERE id = $1`, [clientId, status]);
}

/** The clients among `clientIds` whose work is paused, in one query. */
export async function pausedAmong(manager: EntityManager, clientIds: readonly string[]): Promise<string[]> {
  if (clientIds.length === 0) return [];
  const rows = await selectRows(manager, `SELECT id FROM clients WHERE id = ANY($1) AND work_status = 'paused'`, [clientIds], z.object({ id: column.text }));
  return rows.map((row) => row.id);
}
