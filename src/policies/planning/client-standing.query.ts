import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectRows } from '../../database/select-rows';
import type { ClientStanding } from '../domain/targeting';

export interface ClientFacts extends ClientStanding {
  name: string | null;
  workStatus: 'active' | 'paused';
}

/** Name, exemption, work status and the latest assessment of the given clients, in one query. */
export async function loadClientFacts(manager: EntityManager, clientIds: string[]): Promise<Map<string, ClientFacts>> {
  if (clientIds.length === 0) return new Map();
  const rows = await selectRows(
    manager,
    `SELECT c.id, c.name, c.exempt, c.work_status, ra.level, coalesce(ra.flags, '{}') AS flags
     FROM clients c
     LEFT JOIN LATERAL (SELECT level, flags FROM risk_assessments r WHERE r.client_id = c.id ORDER BY assessed_at DESC LIMIT 1) ra ON true
     WHERE c.id = ANY($1) AND NOT c.deleted`,
    [clientIds],
    z.object({
      id: column.text,
      name: column.text.nullable(),
      exempt: column.boolean,
      work_status: z.enum(['active', 'paused']),
      level: column.text.nullable(),
      flags: column.textArray,
    }),
  );
  return new Map(
    rows.map((r) => [
      r.id,
      { clientId: r.id, name: r.name, exemptByMetadata: r.exempt, workStatus: r.work_status, level: r.level ?? undefined, flags: r.flags },
    ]),
  );
}
