import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectOne } from '../../database/select-rows';

export interface ClientPricing {
  actionId: string;
  percent: number;
  effectiveAt: string;
  /** For clients billed ad hoc: what to multiply their usual rates by from `effectiveAt`; null when Stripe prices were scheduled instead. */
  rateMultiplier: number | null;
  /** Subscription → the schedule that carries the new prices. */
  schedules: Record<string, string>;
}

/** The price increase in force (or announced) for a client: the latest applied one, or null. */
export async function clientPricing(manager: EntityManager, clientId: string): Promise<ClientPricing | null> {
  const row = await selectOne(
    manager,
    `SELECT id, params, stripe_ids FROM actions WHERE client_id = $1 AND kind = 'price_increase' AND status = 'applied' ORDER BY applied_at DESC LIMIT 1`,
    [clientId],
    z.object({ id: column.text, params: column.json, stripe_ids: z.record(z.string(), z.string()) }),
  );
  if (!row) return null;
  const schedules = Object.fromEntries(
    Object.entries(row.stripe_ids)
      .filter(([key]) => key.startsWith('schedule:'))
      .map(([key, id]) => [key.slice('schedule:'.length), id]),
  );
  return {
    actionId: row.id,
    percent: Number(row.params.percent),
    effectiveAt: String(row.params.effectiveAt),
    rateMultiplier: typeof row.params.rateMultiplier === 'number' ? row.params.rateMultiplier : null,
    schedules,
  };
}
