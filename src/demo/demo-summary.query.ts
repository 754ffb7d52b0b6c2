import { RISK_LEVELS_WORST_FIRST } from '../common/vocabulary';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { money, Money } from '../common/money';
import { column, selectOne, selectRows } from '../database/select-rows';

export interface DemoSummaryData {
  levels: { level: string; count: number }[];
  flagged: { customerId: string; name: string; level: string; score: number; reasons: string[] }[];
  /** How many clients are flagged in all (`flagged` holds the first `limit`). */
  flaggedTotal: number;
  proposed: { id: string; kind: string; clientName: string; amount: Money | null }[];
  proposedTotal: number;
  applied: { kind: string; count: number }[];
  /** The clients whose work is paused, by name. */
  paused: string[];
}

/** What the owner should see first: clients by level, the flagged ones and why, and what waits for approval. */
export async function loadDemoSummary(manager: EntityManager, limit = 25): Promise<DemoSummaryData> {
  const latest = `SELECT DISTINCT ON (client_id) client_id, level, score, flags, reasons FROM risk_assessments ORDER BY client_id, assessed_at DESC`;
  const levels = await selectRows(manager, `SELECT level, count(*)::int AS count FROM (${latest}) l GROUP BY level`, [], levelCount);
  const flagged = await selectRows(
    manager,
    `SELECT l.client_id, coalesce(c.name, l.client_id) AS name, l.level, l.score, l.reasons FROM (${latest}) l LEFT JOIN clients c ON c.id = l.client_id
     WHERE cardinality(l.flags) > 0 ORDER BY l.score DESC, l.client_id LIMIT $1`,
    [limit],
    flaggedRow,
  );
  const proposed = await selectRows(
    manager,
    `SELECT a.id, a.kind, coalesce(c.name, a.client_id) AS name, a.amount::text AS amount, a.currency FROM actions a LEFT JOIN clients c ON c.id = a.client_id
     WHERE a.status = 'proposed' ORDER BY a.proposed_at, a.id LIMIT $1`,
    [limit],
    proposedRow,
  );
  const totals = await selectOne(
    manager,
    `SELECT (SELECT count(*)::int FROM (${latest}) l WHERE cardinality(l.flags) > 0) AS flagged,
     (SELECT count(*)::int FROM actions WHERE status = 'proposed') AS proposed`,
    [],
    z.object({ flagged: column.int, proposed: column.int }),
  );
  const { flagged: flaggedTotal, proposed: proposedTotal } = totals ?? { flagged: 0, proposed: 0 };
  const paused = await selectRows(
    manager,
    `SELECT coalesce(name, id) AS name FROM clients WHERE work_status = 'paused' ORDER BY name, id`,
    [],
    z.object({ name: column.text }),
  );
  const applied = await selectRows(
    manager,
    `SELECT kind, count(*)::int AS count FROM actions WHERE status = 'applied' GROUP BY kind ORDER BY kind`,
    [],
    kindCount,
  );
  return {
    levels: RISK_LEVELS_WORST_FIRST.map((level) => ({ level, count: levels.find((l) => l.level === level)?.count ?? 0 })),
    flagged: flagged.map((f) => ({ customerId: f.client_id, name: f.name, level: f.level, score: f.score, reasons: Object.values(f.reasons) })),
    proposed: proposed.map((p) => ({ id: p.id, kind: p.kind, clientName: p.name, amount: p.amount && p.currency ? money(p.amount, p.currency.trim()) : null })),
    applied,
    flaggedTotal,
    proposedTotal,
    paused: paused.map((p) => p.name),
  };
}

/** How many discount requests the demo logged for its clients' phoned-in haggling (created_by 'demo'). */
export async function countDemoDiscountRequests(manager: EntityManager): Promise<number> {
  const row = await selectOne(manager, `SELECT count(*)::int AS count FROM discount_requests WHERE created_by = 'demo'`, [], z.object({ count: column.int }));
  return row?.count ?? 0;
}

const levelCount = z.object({ level: column.text, count: column.int });

const kindCount = z.object({ kind: column.text, count: column.int });

const flaggedRow = z.object({ client_id: column.text, name: column.text, level: column.text, score: column.int, reasons: z.record(z.string(), z.string()) });

const proposedRow = z.object({ id: column.text, kind: column.text, name: column.text, amount: column.bigint.nullable(), currency: column.text.nullable() });
