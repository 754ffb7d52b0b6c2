import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectRows } from '../../database/select-rows';
import { money } from '../../common/money';
import { sqlIsMoreDaysPastDueThan } from '../../common/time';
import type { PolicyFile } from '../../config/policy-file.schema';
import type { PlannedAction } from '../domain/action';
import { computeLateFee } from '../domain/late-fee';
import { isTargeted } from '../domain/targeting';
import { loadClientFacts } from './client-standing.query';

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

/**
 * One fee per overdue invoice and fee period. Fee invoices payrisk created itself carry
 * `payrisk_action_id` and never attract a fee of their own. Periods already decided in any
 * way (even rejected or waived) are not proposed again; only live fees count towards caps.
 */
export async function planLateFees(manager: EntityManager, policy: PolicyFile, now: Date): Promise<PlannedAction[]> {
  const settings = policy.lateFee;
  if (!settings.enabled || settings.mode === 'off') return [];
  // The same cut as `latestDuePeriod`: a fee is due once daysPastDue (common/time) > graceDays.
  const rows = await selectRows(
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
    [now, settings.graceDays],
    overdueRow,
  );
  const clients = await loadClientFacts(manager, [...new Set(rows.map((r) => r.client_id))]);
  const planned: PlannedAction[] = [];
  for (const row of rows) {
    const client = clients.get(row.client_id);
    if (!client || !isTargeted(client, settings.appliesTo, policy.exemptCustomers)) continue;
    const currency = row.currency.trim();
    const decision = computeLateFee(
      {
        invoiceId: row.id,
        number: row.number,
        dueAt: row.due_at,
        remaining: money(row.amount_remaining, currency),
        principal: money(row.total, currency),
        feesAlreadyCharged: money(row.charged, currency),
        periodsAlreadyCharged: row.periods,
      },
      settings,
      now,
    );
    if (!decision) continue;
    planned.push({
      kind: 'late_fee',
      clientId: row.client_id,
      clientName: client.name,
      mode: settings.mode,
      dedupeKey: `late_fee:${row.id}:${decision.period}`,
      invoiceId: row.id,
      amount: decision.fee,
      reason: `invoice ${row.number ?? row.id} is ${decision.daysPastDue} days past due`,
      params: {
        period: decision.period,
        daysPastDue: decision.daysPastDue,
        description: decision.description,
        breakdown: decision.breakdown,
        applyAs: settings.applyAs,
        invoiceNumber: row.number,
        preset: settings.preset,
      },
    });
  }
  return planned;
}
