import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { resolveLinkSecret } from '../../auth/link-secret';
import { Clock, CLOCK } from '../../common/clock';
import { CURRENT_ACCOUNT_CONFIG, type CurrentAccountConfig } from '../../config';
import { AlertChange, alertChange, announces, mergeChanges } from '../domain/alert-change';
import { evidenceGroups, evidenceIds, plainReason } from '../../common/evidence/describe-evidence';
import { findClient } from '../../ledger/queries/clients.query';
import { loadEvidenceFacts } from '../../ledger/queries/evidence-facts.query';
import { buildApprovalLink } from '../links/approval-url';
import { OutboxService } from '../outbox/outbox.service';
import {
  advanceWatermark,
  AlertAssessment,
  AssessmentFacts,
  assessmentsPastWatermark,
  dropAlert,
  latestFlaggedAssessment,
  openAlertOf,
  proposedActionsOf,
  rewriteAlert,
} from './risk-alert.query';
import { renderEmail } from '../templates/email-renderer';

export interface AlertRunOutcome {
  clientsLooked: number;
  alertsQueued: number;
  alertsMerged: number;
}

/**
 * Risk alerts. Walks every assessment newer than the client's watermark, compares it with
 * the client's previous assessment, and for a new flag or a rising level writes (or grows)
 * one alert email per client per batch window: the first change opens an outbox row that is
 * not sent before `alertBatchMinutes`, later changes in the window are folded into it. The
 * watermark and the email are written in one transaction, so a re-run is a no-op.
 */
@Injectable()
export class RiskAlertProducer {
  private readonly logger = new Logger(RiskAlertProducer.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    @Inject(CURRENT_ACCOUNT_CONFIG) private readonly accountConfig: CurrentAccountConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(): Promise<AlertRunOutcome> {
    const outcome: AlertRunOutcome = { clientsLooked: 0, alertsQueued: 0, alertsMerged: 0 };
    const rows = await assessmentsPastWatermark(this.dataSource.manager);
    const byClient = new Map<string, AlertAssessment[]>();
    for (const row of rows) byClient.set(row.client_id, [...(byClient.get(row.client_id) ?? []), row]);
    for (const [clientId, assessments] of byClient) {
      outcome.clientsLooked++;
      try {
        const result = await this.dataSource.transaction((manager) => this.forClient(manager, clientId, assessments));
        if (result === 'queued') outcome.alertsQueued++;
        if (result === 'merged') outcome.alertsMerged++;
      } catch (error) {
        this.logger.error(`alert for client=${clientId} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return outcome;
  }

  private async forClient(manager: EntityManager, clientId: string, assessments: AlertAssessment[]): Promise<'queued' | 'merged' | 'none'> {
    const config = await this.accountConfig();
    let change: AlertChange | null = null;
    let trigger: AlertAssessment | undefined;
    for (const row of assessments) {
      const next = alertChange(row.prev_level ? { level: row.prev_level, flags: row.prev_flags ?? [] } : null, { level: row.level, flags: row.flags ?? [] });
      if (!next) continue;
      change = change ? mergeChanges(change, next) : next;
      trigger ??= row;
    }
    const latest = assessments[assessments.length - 1];
    await advanceWatermark(manager, clientId, latest);
    // What the alert announces is the latest assessment: a batch that ends lower (or at ok) announces nothing.
    if (change && !announces(change.fromLevel, latest.level)) change = null;

    const now = this.clock.now();
    const open = await openAlertOf(manager, clientId, now);
    if (open?.change) {
      const base = open.change;
      const merged = change ? mergeChanges(base, change) : announces(base.fromLevel, latest.level) ? { ...base, toLevel: latest.level } : null;
      if (!merged) {
        await dropAlert(manager, open.id);
        return 'none';
      }
      change = merged;
    }
    if (!change || (!trigger && !open)) return 'none';

    const data = await this.alertData(manager, clientId, latest, change);
    const rendered = renderEmail('alert', data);
    const payload = { ...data, change };
    if (open) {
      await rewriteAlert(manager, open.id, rendered, payload);
      return 'merged';
    }
    const queued = await this.outbox.enqueue(manager, {
      kind: 'alert',
      recipient: config.mail.ownerEmail,
      dedupeKey: `alert:${clientId}:${(trigger ?? latest).id}`,
      clientId,
      payload,
      notBefore: new Date(now.getTime() + config.policy.notifications.alertBatchMinutes * 60_000),
      ...rendered,
    });
    return queued ? 'queued' : 'none';
  }

  /** For `payrisk emails preview alert`: the alert the most recently flagged client would get now, or null without data. */
  async previewData(manager: EntityManager): Promise<Record<string, unknown> | null> {
    const latest = await latestFlaggedAssessment(manager);
    if (!latest) return null;
    const change = alertChange(null, { level: latest.level, flags: latest.flags ?? [] });
    return change ? this.alertData(manager, latest.client_id, latest, change) : null;
  }

  private async alertData(manager: EntityManager, clientId: string, latest: AssessmentFacts, change: AlertChange): Promise<Record<string, unknown>> {
    const config = await this.accountConfig();
    const client = await findClient(manager, clientId);
    const facts = await loadEvidenceFacts(manager, evidenceIds(latest.evidence), this.clock.now());
    const reasons =
      latest.reasons && typeof latest.reasons === 'object' ? Object.values(latest.reasons as Record<string, unknown>).map((r) => plainReason(String(r))) : [];
    return {
      customerId: clientId,
      clientName: client?.name ?? clientId,
      fromLevel: change.fromLevel,
      toLevel: latest.level,
      score: latest.score,
      newFlags: change.newFlags,
      changes: change.lines,
      clientUrl: `${config.publicUrl.replace(/\/+$/, '')}/clients/${encodeURIComponent(clientId)}`,
      reasons,
      evidence: evidenceGroups(latest.evidence, facts),
      proposals: await this.proposals(manager, clientId),
    };
  }

  /** The client's proposed actions, each with signed approve/reject links (src/policies/approvals/approval-link.ts). */
  private async proposals(manager: EntityManager, clientId: string): Promise<Record<string, unknown>[]> {
    const actions = await proposedActionsOf(manager, clientId);
    if (actions.length === 0) return [];
    const config = await this.accountConfig();
    const secret = resolveLinkSecret(config);
    const expiresAt = new Date(this.clock.now().getTime() + config.policy.approvalLinkTtlHours * 3_600_000);
    return actions.map((action) => ({
      actionId: action.id,
      actionKind: action.kind,
      amount: action.amount !== null && action.currency ? { amount: Number(action.amount), currency: action.currency.trim() } : undefined,
      params: action.params ?? {},
      reason: action.reason,
      approveUrl: buildApprovalLink(config.publicUrl, action.id, 'approve', expiresAt, secret, action.stripe_account_id),
      rejectUrl: buildApprovalLink(config.publicUrl, action.id, 'reject', expiresAt, secret, action.stripe_account_id),
      expiresAt: expiresAt.toISOString(),
    }));
  }
}
