import type { EntityManager } from 'typeorm';
import { column, selectRows } from '../../database/select-rows';
import { z } from 'zod';

/** Paused clients (all, or those in `onlyClients`), each with the applied pause that paused them and its params. */
export function loadPausedClients(manager: EntityManager, onlyClients?: string[]) {
  return selectRows(
    manager,
    `SELECT c.id, p.id AS pause_id, p.params
     FROM clients c
     LEFT JOIN LATERAL (SELECT id, params FROM actions a
       WHERE a.client_id = c.id AND a.kind = 'work_pause' AND a.status = 'applied' ORDER BY applied_at DESC LIMIT 1) p ON true
     WHERE c.work_status = 'paused' AND ($1::text[] IS NULL OR c.id = ANY($1))`,
    [onlyClients ?? null],
    z.object({ id: column.text, pause_id: column.text.nullable(), params: column.json.nullable() }),
  );
}

/** Pause proposals still waiting for a decision or for Stripe. */
export function loadPendingPauses(manager: EntityManager, onlyClients?: string[]) {
  return selectRows(
    manager,
    `SELECT id, client_id FROM actions WHERE kind = 'work_pause' AND status IN ('proposed', 'approved') AND ($1::text[] IS NULL OR client_id = ANY($1))`,
    [onlyClients ?? null],
    z.object({ id: column.text, client_id: column.text }),
  );
}
