import type { EntityManager } from 'typeorm';
import type { PolicyFile } from '../../config/policy-file.schema';
import type { PlannedAction } from '../domain/action';
import { isTargeted } from '../domain/targeting';
import { judgeArrears } from '../domain/work-pause-rule';
import { loadClientFacts } from './client-standing.query';
import { loadOutstanding } from './outstanding-invoices.query';
import { loadPausedClients, loadPendingPauses } from './work-pauses.query';

export interface WorkStatusPlan {
  planned: PlannedAction[];
  /** Pause proposals whose arrears were settled before the owner decided: they expire. */
  stale: { actionId: string; reason: string }[];
}

/**
 * Pauses clients whose arrears pass the rule and resumes paused clients whose arrears no
 * longer do. Resuming needs no approval: lifting a pause the client paid their way out of
 * must never wait for anyone. Only the subscriptions the arrears concern are paused.
 */
export async function planWorkStatus(manager: EntityManager, policy: PolicyFile, now: Date, onlyClients?: string[]): Promise<WorkStatusPlan> {
  const settings = policy.workPause;
  const outstanding = await loadOutstanding(manager, now, onlyClients);
  const paused = await loadPausedClients(manager, onlyClients);
  const pending = await loadPendingPauses(manager, onlyClients);
  const clientIds = [...new Set([...outstanding.keys(), ...paused.map((p) => p.id), ...pending.map((p) => p.client_id)])];
  const clients = await loadClientFacts(manager, clientIds);
  const plan: WorkStatusPlan = { planned: [], stale: [] };
  const pendingClients = new Set(pending.map((p) => p.client_id));

  for (const row of paused) {
    const judgement = judgeArrears(outstanding.get(row.id) ?? [], settings, policy.currency, now);
    if (judgement.warranted) continue;
    plan.planned.push({
      kind: 'work_resume',
      clientId: row.id,
      clientName: clients.get(row.id)?.name ?? null,
      mode: 'auto',
      dedupeKey: row.pause_id ? `work_resume:${row.pause_id}` : `work_resume:${row.id}:${now.toISOString().slice(0, 10)}`,
      invoiceId: null,
      amount: null,
      reason: judgement.reason,
      params: { pauseActionId: row.pause_id, subscriptionIds: (row.params?.subscriptionIds as string[] | undefined) ?? [], arrears: judgement.arrears },
    });
  }

  for (const action of pending) {
    const judgement = judgeArrears(outstanding.get(action.client_id) ?? [], settings, policy.currency, now);
    if (!judgement.warranted) plan.stale.push({ actionId: action.id, reason: `no longer needed: ${judgement.reason}` });
  }

  if (!settings.enabled || settings.mode === 'off') return plan;
  for (const [clientId, invoices] of outstanding) {
    const client = clients.get(clientId);
    if (!client || client.workStatus === 'paused' || pendingClients.has(clientId)) continue;
    if (!isTargeted(client, settings.appliesTo, policy.exemptCustomers)) continue;
    const judgement = judgeArrears(invoices, settings, policy.currency, now);
    if (!judgement.warranted) continue;
    const subscriptionIds = settings.pauseSubscriptions ? [...new Set(judgement.causes.map((c) => c.subscriptionId).filter((id): id is string => !!id))] : [];
    plan.planned.push({
      kind: 'work_pause',
      clientId,
      clientName: client.name,
      mode: settings.mode,
      // The oldest unpaid invoice names the episode: after a resume, new arrears make a new key.
      dedupeKey: `work_pause:${clientId}:${judgement.causes[0].invoiceId}`,
      invoiceId: judgement.causes[0].invoiceId,
      amount: null,
      reason: judgement.reason,
      params: {
        causeInvoiceIds: judgement.causes.map((c) => c.invoiceId),
        subscriptionIds,
        arrears: judgement.arrears,
        oldestDaysPastDue: judgement.oldestDaysPastDue,
      },
    });
  }
  return plan;
}
