import { RISK_LEVELS_WORST_FIRST } from '../common/vocabulary';
import type { EntityManager } from 'typeorm';
import { money, Money } from '../common/money';

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
  const levels = (await manager.query(`SELECT level, count(*)::int AS count FROM (${latest}) l GROUP BY level`)) as { level: string; count: number }[];
  const flagged = (await manager.query(
    `SELECT l.client_id, coalesce(c.name, l.client_id) AS name, l.level, l.score, l.reasons FROM (${latest}) l LEFT JOIN clients c ON c.id = l.client_id
     WHERE cardinality(l.flags) > 0 ORDER BY l.score DESC, l.client_id LIMIT $1`,
    [limit],
  )) as { client_id: string; name: string; level: string; score: number; reasons: Record<string, string> }[];
  const proposed = (await manager.query(
    `SELECT a.id, a.kind, coalesce(c.name, a.client_id) AS name, a.amount::text AS amount, a.currency FROM actions a LEFT JOIN clients c ON c.id = a.client_id
     WHERE a.status = 'proposed' ORDER BY a.proposed_at, a.id LIMIT $1`,
    [limit],
  )) as { id: string; kind: string; name: string; amount: string | null; currency: string | null }[];
  const [{ flagged: flaggedTotal, proposed: proposedTotal }] = (await manager.query(
    `SELECT (SELECT count(*)::int FROM (${latest}) l WHERE cardinality(l.flags) > 0) AS flagged, (SELECT count(*)::int FROM actions WHERE status = 'proposed') AS proposed`,
  )) as { flagged: number; proposed: number }[];
  const paused = (await manager.query(`SELECT coalesce(name, id) AS name FROM clients WHERE work_status = 'paused' ORDER BY name, id`)) as { name: string }[];
  const applied = (await manager.query(`SELECT kind, count(*)::int AS count FROM actions WHERE status = 'applied' GROUP BY kind ORDER BY kind`)) as {
    kind: string;
    count: number;
  }[];
  return {
    levels: RISK_LEVELS_WORST_FIRST.map((level) => ({ level, count: levels.find((l) => l.level === level)?.count ?? 0 })),
    flagged: flagged.map((f) => ({ customerId: f.client_id, name: f.name, level: f.level, score: f.score, reasons: Object.values(f.reasons ?? {}) })),
    proposed: proposed.map((p) => ({ id: p.id, kind: p.kind, clientName: p.name, amount: p.amount && p.currency ? money(p.amount, p.currency.trim()) : null })),
    applied,
    flaggedTotal,
    proposedTotal,
    paused: paused.map((p) => p.name),
  };
}

/** How many discount requests the demo logged for its clients' phoned-in haggling (created_by 'demo'). */
export async function countDemoDiscountRequests(manager: EntityManager): Promise<number> {
  const [{ count }] = (await manager.query(`SELECT count(*)::int AS count FROM discount_requests WHERE created_by = 'demo'`)) as { count: number }[];
  return count;
}
