import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { sqlIsMoreDaysPastDueThan } from '../../common/time';
import { column, selectRows } from '../../database/select-rows';

const overdueRow = z.object({
  id: column.text,
  number: column.text.nullable(),
  client_id: column.text,
  currency: column.text,
  total: column.bigint,
  amount_remaining: column.bigint,
  due_at: column.timestamp,
  charged: column.bigint,
  periods: column.int,
});

export type FeeCandidate = z.infer<typeof overdueRow>;

/**
 * Open invoices more than `graceDays` past due (the same cut as `latestDuePeriod`: daysPastDue
 * in common/time), with the live fees already charged on each and the fee periods decided,
 * oldest due first. payrisk's own fee invoices (`payrisk_action_id`) are left out.
 */
export function loadFeeCandidates(manager: EntityManager, now: Date, graceDays: number): Promise<FeeCandidate[]> {
  return selectRows(
    manager,
    `SELECT i.id, i.number, i.client_id, i.currency, i.total::text, i.amount_remaining::text, i.due_at,
            coalesce(f.charged, 0)::text AS charged, coalesce(f.periods, 0)::int AS periods
     FROM invoices i
     LEFT JOIN LATERAL (
       SELECT sum(a.amount) FILTER (WHERE a.status IN ('proposed', 'approved', 'applied')) AS charged,
              max((a.params->>'period')::int) + 1 AS periods
       FROM actions a WHERE a.kind = 'late_fee' AND a.invoice_id = i.id
     ) f ON true
     WHERE i.status = 'open' AND i.amount_remaining > 0 AND ${sqlIsMoreDaysPastDueThan('i.due_at', '$1', '$2')}
       AND NOT (i.metadata ? 'payrisk_action_id')
     ORDER BY i.due_at, i.id`,
    [now, graceDays],
    overdueRow,
  );
}
