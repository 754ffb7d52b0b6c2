import type { EntityManager } from 'typeorm';
import type { OwnerNotifier } from '../../common/notifications/owner-notifier.port';
import { buildApprovalUrl } from '../approvals/approval-link';
import type { ActionRecord } from '../persistence/action-row';
import { DAY_MS } from '../../common/time';

interface EmailContext {
  notifier: OwnerNotifier;
  publicUrl: string;
  linkSecret: string;
  clientName: string | null;
  now: Date;
  /** Why the price-increase notice did not go to the client (told to the owner in the email). */
  noticeNotSent?: string;
}

/** How long the undo link of an applied fee works: long enough for a client to call about it. */
const UNDO_LINK_DAYS = 30;

/** The owner's email for an action at its current status; each is sent once (dedupe by action and status). */
export async function emailOwnerAbout(manager: EntityManager, action: ActionRecord, context: EmailContext): Promise<void> {
  const base = { customerId: action.clientId, clientName: context.clientName ?? action.clientId, actionId: action.id, actionKind: action.kind };
  const arrears = action.params.arrears ?? [];
  if (action.kind === 'work_pause' && action.status === 'applied') {
    await context.notifier.notify(manager, {
      kind: 'pause',
      dedupeKey: `pause:${action.id}`,
      clientId: action.clientId,
      data: { ...base, arrears, oldestDaysPastDue: action.params.oldestDaysPastDue, reason: action.reason },
    });
    return;
  }
  if (action.kind === 'work_resume' && action.status === 'applied') {
    await context.notifier.notify(manager, {
      kind: 'resume',
      dedupeKey: `resume:${action.id}`,
      clientId: action.clientId,
      data: { ...base, arrears, reason: action.reason },
    });
    return;
  }
  if (!['proposed', 'applied', 'failed'].includes(action.status)) return;
  const links =
    action.status === 'proposed' && action.expiresAt
      ? {
          approveUrl: buildApprovalUrl(context.publicUrl, action.id, 'approve', action.expiresAt, context.linkSecret, action.stripeAccountId),
          rejectUrl: buildApprovalUrl(context.publicUrl, action.id, 'reject', action.expiresAt, context.linkSecret, action.stripeAccountId),
          expiresAt: action.expiresAt.toISOString(),
        }
      : {};
  const undoUrl =
    action.kind === 'late_fee' && action.status === 'applied'
      ? buildApprovalUrl(
          context.publicUrl,
          action.id,
          'waive',
          new Date(context.now.getTime() + UNDO_LINK_DAYS * DAY_MS),
          context.linkSecret,
          action.stripeAccountId,
        )
      : undefined;
  await context.notifier.notify(manager, {
    kind: 'action',
    dedupeKey: `action:${action.id}:${action.status}`,
    clientId: action.clientId,
    data: {
      ...base,
      status: action.status,
      reason: action.reason,
      amount: action.amount ?? undefined,
      params: action.params,
      stripeIds: action.stripeIds,
      error: action.error ?? undefined,
      notice: action.kind === 'price_increase' && action.status !== 'failed' ? action.params.notice : undefined,
      noticeNotSent: context.noticeNotSent,
      ...links,
      undoUrl,
    },
  });
}
