import type { EntityManager } from 'typeorm';
import { money } from '../../common/money';
import type { PolicyFile } from '../../config/policy-file.schema';
import type { PlannedAction } from '../domain/action';
import { computeLateFee } from '../domain/late-fee';
import { isTargeted } from '../domain/targeting';
import { loadClientFacts } from './client-standing.query';
import { loadFeeCandidates } from './fee-candidates.query';

/**
 * One fee per overdue invoice and fee period. Fee invoices payrisk created itself carry
 * `payrisk_action_id` and never attract a fee of their own. Periods already decided in any
 * way (even rejected or waived) are not proposed again; only live fees count towards caps.
 */
export async function planLateFees(manager: EntityManager, policy: PolicyFile, now: Date): Promise<PlannedAction[]> {
  const settings = policy.lateFee;
  if (!settings.enabled || settings.mode === 'off') return [];
  const rows = await loadFeeCandidates(manager, now, settings.graceDays);
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
