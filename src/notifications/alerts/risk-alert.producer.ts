import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { resolveLinkSecret } from '../../auth/link-secret';
import { Clock, CLOCK } from '../../common/clock';
import { APP_CONFIG, AppConfig } from '../../config';
import { AlertChange, alertChange, announces, mergeChanges } from '../domain/alert-change';
import { evidenceGroups, evidenceIds, plainReason } from '../../common/evidence/describe-evidence';
import { loadEvidenceFacts } from '../../ledger/queries/evidence-facts.query';
import { buildApprovalLink } from '../links/approval-url';
import { OutboxService } from '../outbox/outbox.service';
import { tableExists } from '../table-exists';
import { renderEmail } from '../templates/email-renderer';

interface AssessmentRow {
  id: string;
  client_id: string;
  assessed_at: Date;
  level: string;
  flags: string[];
  score: number;
  evidence: unknown;
  reasons: unknown;
  prev_level: string | null;
  prev_flags: string[] | null;
}

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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(): Promise<AlertRunOutcome> {
    const outcome: AlertRunOutcome = { clientsLooked: 0, alertsQueued: 0, alertsMerged: 0 };
    if (!(await tableExists(this.dataSource.manager, 'risk_assessments'))) return outcome;
    // The cursor is each client's watermark: only assessments written after it are read, each
    // with the one before it (an index lookup), never a window over the whole history.
    const rows = (await this.dataSource.query(
      `WITH fresh AS (
         SELECT ra.id, ra.client_id, ra.assessed_at, ra.level, ra.flags, ra.score, ra.evidence, ra.reasons
         FROM risk_assessments ra LEFT JOIN alert_watermarks wm ON wm.client_id = ra.client_id
         WHERE wm.assessed_at IS NULL OR ra.assessed_at > wm.assessed_at)
       SELECT f.*, prev.level AS prev_level, prev.flags AS prev_flags
       FROM fresh f LEFT JOIN LATERAL (
         SELECT p.level, p.flags FROM risk_assessments p
         WHERE p.client_id = f.client_id AND (p.assessed_at, p.id) < (f.assessed_at, f.id)
         ORDER BY p.assessed_at DESC, p.id DESC LIMIT 1) prev ON true
       ORDER BY f.client_id, f.assessed_at, f.id`,
    )) as AssessmentRow[];
    const byClient = new Map<string, AssessmentRow[]>();
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

  private async forClient(manager: EntityManager, clientId: string, assessments: AssessmentRow[]): Promise<'queued' | 'merged' | 'none'> {
    let change: AlertChange | null = null;
    let trigger: AssessmentRow | undefined;
    for (const row of assessments) {
      const next = alertChange(row.prev_level ? { level: row.prev_level, flags: row.prev_flags ?? [] } : null, { level: row.level, flags: row.flags ?? [] });
      if (!next) continue;
      change = change ? mergeChanges(change, next) : next;
      trigger ??= row;
    }
    const latest = assessments[assessments.length - 1];
    await manager.query(
      `INSERT INTO alert_watermarks (client_id, assessment_id, assessed_at, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (client_id) DO UPDATE SET assessment_id = EXCLUDED.assessment_id, assessed_at = EXCLUDED.assessed_at, updated_at = now()`,
      [clientId, latest.id, latest.assessed_at],
    );
    // What the alert announces is the latest assessment: a batch that ends lower (or at ok) announces nothing.
    if (change && !announces(change.fromLevel, latest.level)) change = null;

    const now = this.clock.now();
    const [open] = (await manager.query(
      `SELECT id, payload FROM outbox_messages
       WHERE kind = 'alert' AND client_id = $1 AND status = 'pending' AND attempts = 0 AND next_attempt_at > $2
       ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
      [clientId, now],
    )) as { id: string; payload: { change?: AlertChange } }[];
    if (open?.payload.change) {
      const base = open.payload.change;
      const merged = change ? mergeChanges(base, change) : announces(base.fromLevel, latest.level) ? { ...base, toLevel: latest.level } : null;
      if (!merged) {
        // The client got better again before the batched alert left: it is the digest's news now.
        await manager.query(`DELETE FROM outbox_messages WHERE id = $1`, [open.id]);
        return 'none';
      }
      change = merged;
    }
    if (!change || (!trigger && !open)) return 'none';

    const data = await this.alertData(manager, clientId, latest, change);
    const rendered = renderEmail('alert', data);
    const payload = { ...data, change };
    if (open) {
      await manager.query(`UPDATE outbox_messages SET subject = $2, text = $3, html = $4, payload = $5 WHERE id = $1`, [
        open.id,
        rendered.subject,
        rendered.text,
        rendered.html,
        JSON.stringify(payload),
      ]);
      return 'merged';
    }
    const queued = await this.outbox.enqueue(manager, {
      kind: 'alert',
      recipient: this.config.mail.ownerEmail,
      dedupeKey: `alert:${clientId}:${(trigger ?? latest).id}`,
      clientId,
      payload,
      notBefore: new Date(now.getTime() + this.config.policy.notifications.alertBatchMinutes * 60_000),
      ...rendered,
    });
    return queued ? 'queued' : 'none';
  }

  /** For `payrisk emails preview alert`: the alert the most recently flagged client would get now, or null without data. */
  async previewData(manager: EntityManager): Promise<Record<string, unknown> | null> {
    if (!(await tableExists(manager, 'risk_assessments'))) return null;
    const [latest] = (await manager.query(
      `SELECT * FROM (SELECT DISTINCT ON (client_id) * FROM risk_assessments ORDER BY client_id, assessed_at DESC) l
       WHERE cardinality(flags) > 0 ORDER BY score DESC, assessed_at DESC LIMIT 1`,
    )) as AssessmentRow[];
    if (!latest) return null;
    const change = alertChange(null, { level: latest.level, flags: latest.flags ?? [] });
    return change ? this.alertData(manager, latest.client_id, latest, change) : null;
  }

  private async alertData(manager: EntityManager, clientId: string, latest: AssessmentRow, change: AlertChange): Promise<Record<string, unknown>> {
    const [client] = (await manager.query(`SELECT name FROM clients WHERE id = $1`, [clientId])) as { name: string | null }[];
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
      clientUrl: `${this.config.publicUrl.replace(/\/+$/, '')}/clients/${encodeURIComponent(clientId)}`,
      reasons,
      evidence: evidenceGroups(latest.evidence, facts),
      proposals: await this.proposals(manager, clientId),
    };
  }

  /** The client's proposed actions, each with signed approve/reject links (src/policies/approvals/approval-link.ts). */
  private async proposals(manager: EntityManager, clientId: string): Promise<Record<string, unknown>[]> {
    if (!(await tableExists(manager, 'actions'))) return [];
    const actions = (await manager.query(
      `SELECT id, kind, amount, currency, params, reason FROM actions WHERE client_id = $1 AND status = 'proposed' ORDER BY proposed_at, id`,
      [clientId],
    )) as { id: string; kind: string; amount: string | null; currency: string | null; params: Record<string, unknown> | null; reason: string }[];
    if (actions.length === 0) return [];
    const secret = resolveLinkSecret(this.config);
    const expiresAt = new Date(this.clock.now().getTime() + this.config.policy.approvalLinkTtlHours * 3_600_000);
    return actions.map((action) => ({
      actionId: action.id,
      actionKind: action.kind,
      amount: action.amount !== null && action.currency ? { amount: Number(action.amount), currency: action.currency.trim() } : undefined,
      params: action.params ?? {},
      reason: action.reason,
      approveUrl: buildApprovalLink(this.config.publicUrl, action.id, 'approve', expiresAt, secret),
      rejectUrl: buildApprovalLink(this.config.publicUrl, action.id, 'reject', expiresAt, secret),
      expiresAt: expiresAt.toISOString(),
    }));
  }
}
