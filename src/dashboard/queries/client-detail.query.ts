import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { RISK_FLAGS, RISK_LEVELS } from '../../common/vocabulary';
import { column, selectOne, selectRows } from '../../database/select-rows';
import { factorWords } from '../../common/evidence/describe-evidence';
import type { InvoiceFact } from '../../risk/domain/client-history';
import { daysLate } from '../../risk/domain/days-late';
import type { ActionRow, ClientDetail } from '../http/dashboard.schemas';
import { loadActions } from './actions.query';

const TIMELINE_INVOICES = 200;
const opt = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);
const isoOpt = (value: Date | null) => (value ? new Date(value).toISOString() : undefined);

const clientRow = z.object({
  id: column.text,
  name: column.text.nullable(),
  email: column.text.nullable(),
  work_status: z.enum(['active', 'paused']),
  livemode: column.boolean,
});

/** One item of an assessment's evidence (jsonb as the risk domain wrote it). */
const evidenceItem = z.object({
  kind: z.enum(['invoice', 'credit_note', 'coupon', 'void_reissue', 'discount_request', 'dispute']),
  id: column.text,
  amount: z.object({ amount: column.int, currency: column.text }),
  date: column.text,
  daysLate: column.int.optional(),
  detail: column.text.optional(),
});

/** The latest assessment; its jsonb columns are read in the shapes the risk domain writes. */
const assessmentRow = z.object({
  assessed_at: column.timestamp,
  level: z.enum(RISK_LEVELS),
  score: column.int,
  flags: z.array(z.enum(RISK_FLAGS)),
  metrics: column.json,
  evidence: z.record(z.string(), z.array(evidenceItem)),
  reasons: z.record(z.string(), z.string()),
  factors: z.array(z.object({ factor: column.text, points: column.number, detail: column.text.optional() })),
  predictions: z.array(
    // `explanation` is missing from assessments stored before predictions said why.
    z.object({ invoiceId: column.text, expectedDate: column.text, earliest: column.text, latest: column.text, explanation: column.text.optional() }),
  ),
});

/** An invoice of the timeline (due, not a draft): the facts `daysLate` needs. */
const invoiceRow = z.object({
  id: column.text,
  number: column.text.nullable(),
  status: z.enum(['open', 'paid', 'uncollectible', 'void']),
  currency: column.text,
  subtotal: column.bigint,
  total: column.bigint,
  total_discount: column.bigint,
  amount_remaining: column.bigint,
  attempt_count: column.int,
  stripe_created_at: column.timestamp,
  due_at: column.timestamp,
  paid_at: column.timestamp.nullable(),
  voided_at: column.timestamp.nullable(),
});

/**
 * Everything the client page shows, by client id: the latest assessment with each flag's
 * reason and evidence (invoices enriched with their paid date), the score history, each
 * invoice's days late against its due date, open invoices with the predicted payment,
 * logged discount requests and the actions with their audit trails. Null if unknown.
 */
export async function loadClientDetail(manager: EntityManager, clientId: string, now: Date): Promise<ClientDetail | null> {
  const client = await selectOne(manager, `SELECT id, name, email, work_status, livemode FROM clients WHERE id = $1`, [clientId], clientRow);
  if (!client) return null;
  const [assessment, history, invoices, requests, actions] = await Promise.all([
    selectOne(
      manager,
      `SELECT a.assessed_at, a.level, a.score, a.flags, a.metrics, a.evidence, a.reasons, a.factors, a.predictions
         FROM client_risk_latest l JOIN risk_assessments a ON a.id = l.assessment_id WHERE l.client_id = $1`,
      [clientId],
      assessmentRow,
    ),
    selectRows(
      manager,
      `SELECT assessed_at, score, level FROM risk_assessments WHERE client_id = $1 ORDER BY assessed_at DESC LIMIT 100`,
      [clientId],
      z.object({ assessed_at: column.timestamp, score: column.int, level: z.enum(RISK_LEVELS) }),
    ),
    selectRows(
      manager,
      `SELECT id, number, status, currency, subtotal, total, total_discount, amount_remaining, attempt_count, stripe_created_at, due_at, paid_at, voided_at
         FROM invoices WHERE client_id = $1 AND due_at IS NOT NULL AND status <> 'draft' ORDER BY due_at DESC LIMIT $2`,
      [clientId, TIMELINE_INVOICES],
      invoiceRow,
    ),
    selectRows(
      manager,
      `SELECT id, amount, currency, requested_at, note, created_by FROM discount_requests WHERE client_id = $1 ORDER BY requested_at DESC LIMIT 100`,
      [clientId],
      z.object({
        id: column.text,
        amount: column.bigint,
        currency: column.text,
        requested_at: column.timestamp,
        note: column.text.nullable(),
        created_by: column.text,
      }),
    ),
    loadActions(manager, { customerId: clientId }),
  ]);

  const facts: InvoiceFact[] = invoices.map((row) => ({
    id: row.id,
    number: row.number,
    status: row.status,
    currency: row.currency.trim(),
    subtotal: Number(row.subtotal),
    total: Number(row.total),
    totalDiscount: Number(row.total_discount),
    amountRemaining: Number(row.amount_remaining),
    attemptCount: row.attempt_count,
    createdAt: row.stripe_created_at,
    dueAt: row.due_at,
    paidAt: row.paid_at,
    voidedAt: row.voided_at,
  }));
  const byId = new Map(facts.map((fact) => [fact.id, fact]));
  const predictions = new Map((assessment?.predictions ?? []).map((p) => [p.invoiceId, p]));
  const evidence = assessment?.evidence ?? {};
  const reasons = assessment?.reasons ?? {};

  return {
    customerId: client.id,
    name: opt(client.name),
    email: opt(client.email),
    workStatus: client.work_status,
    stripeDashboardUrl: `https://dashboard.stripe.com/${client.livemode ? '' : 'test/'}customers/${encodeURIComponent(client.id)}`,
    assessment: assessment
      ? {
          assessedAt: assessment.assessed_at.toISOString(),
          level: assessment.level,
          score: assessment.score,
          factors: assessment.factors.map((f) => ({
            factor: f.factor,
            label: factorWords(f.factor),
            detail: f.detail,
            points: f.points,
          })),
          flags: assessment.flags.map((flag) => ({
            flag,
            reason: reasons[flag] ?? '',
            evidence: (evidence[flag] ?? []).map((item) => {
              const paidAt = item.kind === 'invoice' ? byId.get(item.id)?.paidAt : undefined;
              return { ...item, paidAt: paidAt ? new Date(paidAt).toISOString() : undefined };
            }),
          })),
          metrics: assessment.metrics,
        }
      : undefined,
    history: history.map((row) => ({ assessedAt: row.assessed_at.toISOString(), score: row.score, level: row.level })),
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
          explanation: p?.explanation,
        };
      }),
    discountRequests: requests.map((row) => ({
      id: row.id,
      amount: { amount: Number(row.amount), currency: row.currency.trim() },
      requestedAt: row.requested_at.toISOString(),
      note: opt(row.note),
      createdBy: row.created_by,
    })),
    actions: actions satisfies ActionRow[],
  };
}
