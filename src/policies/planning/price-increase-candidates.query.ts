import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectRows } from '../../database/select-rows';

/**
 * Clients whose latest assessment carries one of `flags` or `levels`: only they can get a
 * price increase (the planner re-checks with exemptions), not every client ever assessed.
 */
export function loadPriceIncreaseCandidates(manager: EntityManager, flags: readonly string[], levels: readonly string[]) {
  return selectRows(
    manager,
    `SELECT client_id FROM (SELECT DISTINCT ON (client_id) client_id, level, flags FROM risk_assessments ORDER BY client_id, assessed_at DESC) latest
     WHERE flags && $1::text[] OR level = ANY($2::text[])`,
    [flags, levels],
    z.object({ client_id: column.text }),
  );
}

/** The dedupe keys of price increases decided in `year` in any way: no need to ask Stripe for those clients' subscriptions again. */
export async function loadDecidedPriceIncreaseKeys(manager: EntityManager, year: number): Promise<Set<string>> {
  const rows = await selectRows(
    manager,
    `SELECT dedupe_key FROM actions WHERE kind = 'price_increase' AND dedupe_key LIKE $1`,
    [`price_increase:%:${year}`],
    z.object({ dedupe_key: column.text }),
  );
  return new Set(rows.map((row) => row.dedupe_key));
}
