import type { EntityManager } from 'typeorm';
import { factorWords } from '../../common/evidence/describe-evidence';
import type { InvoiceFact } from '../../risk/domain/client-history';
import { daysLate } from '../../risk/domain/days-late';
import type { ActionRow, ClientDetail, Evidence } from '../http/dashboard.schemas';
import { loadActions } from './actions.query';

const TIMELINE_INVOICES = 200;
const opt = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);
const isoOpt = (value: Date | null) => (value ? new Date(value).toISOString() : undefined);

/**
 * Everything the client page shows, by client id: the latest assessment with each flag's
 * reason and evidence (invoices enriched with their paid date), the score history, each
 * invoice's days late against its due date, open invoices with the predicted payment,
 * logged discount requests and the actions with their audit trails. Null if unknown.
 */
export async function loadClientDetail(manager: EntityManager, clientId: string, now: Date): Promise<ClientDetail | null> {
  const [client] = (await manager.query(`SELECT id, name, email, work_status, livemode FROM clients WHERE id = $1`, [clientId])) as {
    id: string;
    name: string | null;
    email: string | null;
    work_status: 'active' | 'paused';
    livemode: boolean;
  }[];
  if (!client) return null;
  const [latest, history, invoices, requests, actions] = await Promise.all([
    manager.query(
      `SELECT a.assessed_at, a.level, a.score, a.flags, a.metrics, a.evidence, a.reasons, a.factors, a.predictions
         FROM client_risk_latest l JOIN risk_assessments a ON a.id = l.assessment_id WHERE l.client_id = $1`,
      [clientId],
    ) as Promise<Record<string, unknown>[]>,
    manager.query(`SELECT assessed_at, score, level FROM risk_assessments WHERE client_id = $1 ORDER BY assessed_at DESC LIMIT 100`, [clientId]) as Promise<
      { assessed_at: Date; score: number; level: ClientDetail['history'][number]['level'] }[]
    >,
    manager.query(
      `SELECT id, number, status, currency, subtotal, total, total_discount, amount_remaining, attempt_count, stripe_created_at, due_at, paid_at, voided_at
         FROM invoices WHERE client_id = $1 AND due_at IS NOT NULL AND status <> 'draft' ORDER BY due_at DESC LIMIT $2`,
      [clientId, TIMELINE_INVOICES],
    ) as Promise<Record<string, unknown>[]>,
    manager.query(
      `SELECT id, amount, currency, requested_at, note, created_by FROM discount_requests WHERE client_id = $1 ORDER BY requested_at DESC LIMIT 100`,
      [clientId],
    ) as Promise<{ id: string; amount: string; currency: string; requested_at: Date; note: string | null; created_by: string }[]>,
    loadActions(manager, { customerId: clientId }),
  ]);

  const facts: InvoiceFact[] = invoices.map((row) => ({
    id: row.id as string,
    number: row.number as string | null,
    status: row.status as InvoiceFact['status'],
    currency: (row.currency as string).trim(),
    subtotal: Number(row.subtotal),
    total: Number(row.total),
    totalDiscount: Number(row.total_discount),
    amountRemaining: Number(row.amount_remaining),
    attemptCount: row.attempt_count as number,
    createdAt: row.stripe_created_at as Date,
    dueAt: row.due_at as Date,
    paidAt: row.paid_at as Date | null,
    voidedAt: row.voided_at as Date | null,
  }));
  const byId = new Map(facts.map((fact) => [fact.id, fact]));
  const assessment = latest[0];
  const predictions = ((assessment?.predictions ?? []) as { invoiceId: string; expectedDate: string; earliest: string; latest: string }[]).reduce(
    (map, p) => map.set(p.invoiceId, p),
    new Map<string, { expectedDate: string; earliest: string; latest: string }>(),
  );
  const evidence = (assessment?.evidence ?? {}) as Record<string, Evidence[]>;
  const reasons = (assessment?.reasons ?? {}) as Record<string, string>;

  return {
    customerId: client.id,
    name: opt(client.name),
    email: opt(client.email),
    workStatus: client.work_status,
    stripeDashboardUrl: `https://dashboard.stripe.com/${client.livemode ? '' : 'test/'}customers/${encodeURIComponent(client.id)}`,
    assessment: assessment
      ? {
          assessedAt: new Date(assessment.assessed_at as Date).toISOString(),
          level: assessment.level as NonNullable<ClientDetail['assessment']>['level'],
          score: assessment.score as number,
          factors: (assessment.factors as { factor: string; points: number; detail?: string }[]).map((f) => ({
            factor: f.factor,
            label: factorWords(f.factor),
            detail: f.detail,
            points: f.points,
          })),
          flags: (assessment.flags as NonNullable<ClientDetail['assessment']>['flags'][number]['flag'][]).map((flag) => ({
            flag,
            reason: reasons[flag] ?? '',
            evidence: (evidence[flag] ?? []).map((item) => {
              const paidAt = item.kind === 'invoice' ? byId.get(item.id)?.paidAt : undefined;
              return { ...item, paidAt: paidAt ? new Date(paidAt).toISOString() : undefined };
            }),
          })),
          metrics: assessment.metrics as Record<string, unknown>,
        }
      : undefined,
    history: history.map((row) => ({ assessedAt: new Date(row.assessed_at).toISOString(), score: row.score, level: row.level })),
    timeline: facts
      .filter((fact) => fact.status !== 'void')
      .map((fact) => ({
        invoiceId: fact.id,
        number: opt(fact.number),
        status: fact.status,
        amount: { amount: fact.total, currency: fact.currency },
        dueDate: (fact.dueAt as Date).toISOString().slice(0, 10),
        paidAt: isoOpt(fact.paidAt),
        daysLate: daysLate(fact, now),
      }))
      .reverse(),
    openInvoices: facts
      .filter((fact) => fact.status === 'open' && fact.amountRemaining > 0)
      .map((fact) => {
        const p = predictions.get(fact.id);
        return {
          invoiceId: fact.id,
          number: opt(fact.number),
          amount: { amount: fact.amountRemaining, currency: fact.currency },
          dueDate: (fact.dueAt as Date).toISOString().slice(0, 10),
          expectedDate: p?.expectedDate,
          earliest: p?.earliest,
          latest: p?.latest,
        };
      }),
    discountRequests: requests.map((row) => ({
      id: row.id,
      amount: { amount: Number(row.amount), currency: row.currency.trim() },
      requestedAt: new Date(row.requested_at).toISOString(),
      note: opt(row.note),
      createdBy: row.created_by,
    })),
    actions: actions satisfies ActionRow[],
  };
}
