import { createZodDto } from 'nestjs-zod';
// Nullable values are optional keys here (absent, not null): @nestjs/swagger turns the JSON schema
// type ["string", "null"] that zod makes for .nullable() into an array of strings.
import { z } from 'zod';
import { RISK_FLAGS, RISK_LEVELS } from '../../common/vocabulary';

/** The dashboard's read models. The OpenAPI document is generated from these, and web/src/api/schema.d.ts from it. */

export const CLIENT_SORTS = ['name', 'level', 'score', 'arrears', 'oldestDaysPastDue', 'lateShare', 'medianDaysLate', 'discountShare', 'workStatus'] as const;

export const MoneySchema = z.object({ amount: z.number().int(), currency: z.string() }).strict();
const int = () => z.number().int();

// ── overview ──────────────────────────────────────────────────────────────
export const OverviewSchema = z
  .object({
    asOf: z.string(),
    receivables: z.array(z.object({ currency: z.string(), outstanding: int(), overdue: int(), openInvoices: int() }).strict()),
    aging: z.array(z.object({ currency: z.string(), current: int(), d1_30: int(), d31_60: int(), d61_90: int(), d90plus: int() }).strict()),
    dso: z.array(z.object({ month: z.string(), currency: z.string(), dso: z.number().optional(), billed: int(), outstanding: int() }).strict()),
    levels: z.array(z.object({ level: z.enum(RISK_LEVELS), count: int() }).strict()),
    movers: z.array(
      z
        .object({
          customerId: z.string(),
          name: z.string().optional(),
          from: z.enum(RISK_LEVELS),
          to: z.enum(RISK_LEVELS),
          score: int(),
          changedAt: z.string(),
        })
        .strict(),
    ),
    pendingApprovals: int(),
    paused: z.object({ count: int(), clients: z.array(z.object({ customerId: z.string(), name: z.string().optional() }).strict()) }).strict(),
    expectedPayments: z
      .object({
        days: int(),
        totals: z.array(z.object({ currency: z.string(), amount: int(), invoices: int() }).strict()),
        invoices: z.array(
          z
            .object({
              customerId: z.string(),
              name: z.string().optional(),
              invoiceId: z.string(),
              number: z.string().optional(),
              amount: MoneySchema,
              dueDate: z.string(),
              expectedDate: z.string(),
              earliest: z.string(),
              latest: z.string(),
            })
            .strict(),
        ),
      })
      .strict(),
    lastSyncAt: z.string().optional(),
    lastEventAt: z.string().optional(),
  })
  .strict();
export class OverviewDto extends createZodDto(OverviewSchema) {}
export type Overview = z.infer<typeof OverviewSchema>;

// ── clients ───────────────────────────────────────────────────────────────
export const ClientListQuerySchema = z
  .object({
    level: z.enum(RISK_LEVELS).optional(),
    flag: z.enum(RISK_FLAGS).optional(),
    q: z.string().max(200).optional().describe('part of the name, email or customer id'),
    sort: z.enum(CLIENT_SORTS).default('score'),
    dir: z.enum(['asc', 'desc']).default('desc'),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export class ClientListQueryDto extends createZodDto(ClientListQuerySchema) {}
export type ClientListQuery = z.infer<typeof ClientListQuerySchema>;

export const ClientRowSchema = z
  .object({
    customerId: z.string(),
    name: z.string().optional(),
    email: z.string().optional(),
    level: z.enum(RISK_LEVELS),
    score: int(),
    flags: z.array(z.enum(RISK_FLAGS)),
    reasons: z.record(z.string(), z.string()),
    arrears: z.array(MoneySchema),
    oldestDaysPastDue: int(),
    lateShare: z.number(),
    medianDaysLate: z.number(),
    discountShare: z.number(),
    workStatus: z.enum(['active', 'paused']),
    assessedAt: z.string(),
  })
  .strict();
export type ClientRow = z.infer<typeof ClientRowSchema>;
export const ClientPageSchema = z.object({ total: int(), page: int(), pageSize: int(), rows: z.array(ClientRowSchema) }).strict();
export class ClientPageDto extends createZodDto(ClientPageSchema) {}
export type ClientPage = z.infer<typeof ClientPageSchema>;

// ── one client ────────────────────────────────────────────────────────────
export const EvidenceSchema = z
  .object({
    kind: z.enum(['invoice', 'credit_note', 'coupon', 'void_reissue', 'discount_request', 'dispute']),
    id: z.string(),
    amount: MoneySchema,
    date: z.string(),
    daysLate: int().optional(),
    detail: z.string().optional(),
    paidAt: z.string().optional().describe('for invoices: when it was paid'),
  })
  .strict();
export type Evidence = z.infer<typeof EvidenceSchema>;
export const ActionRowSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['late_fee', 'work_pause', 'work_resume', 'price_increase']),
    customerId: z.string(),
    clientName: z.string().optional(),
    status: z.enum(['proposed', 'approved', 'applied', 'rejected', 'failed', 'waived', 'expired']),
    mode: z.enum(['auto', 'approve']),
    invoiceId: z.string().optional(),
    amount: MoneySchema.optional(),
    reason: z.string(),
    why: z.string().describe('the reason in words, no internal codes'),
    calculation: z.array(z.object({ label: z.string(), value: z.string() }).strict()).describe('principal, rate, days, caps, preset, in words'),
    params: z.record(z.string(), z.unknown()),
    stripeIds: z.record(z.string(), z.string()),
    error: z.string().optional(),
    proposedAt: z.string(),
    decidedAt: z.string().optional(),
    appliedAt: z.string().optional(),
    audit: z.array(
      z
        .object({
          fromStatus: z.string().optional(),
          toStatus: z.string(),
          actor: z.string(),
          by: z.string().describe('the actor in words ("the emailed link", "the dashboard", "payrisk")'),
          at: z.string(),
          note: z.string().optional(),
        })
        .strict(),
    ),
  })
  .strict();
export type ActionRow = z.infer<typeof ActionRowSchema>;

export const ClientDetailSchema = z
  .object({
    customerId: z.string(),
    name: z.string().optional(),
    email: z.string().optional(),
    workStatus: z.enum(['active', 'paused']),
    stripeDashboardUrl: z.string(),
    assessment: z
      .object({
        assessedAt: z.string(),
        level: z.enum(RISK_LEVELS),
        score: int(),
        factors: z.array(z.object({ factor: z.string(), label: z.string(), detail: z.string().optional(), points: z.number() }).strict()),
        flags: z.array(z.object({ flag: z.enum(RISK_FLAGS), reason: z.string(), evidence: z.array(EvidenceSchema) }).strict()),
        metrics: z.record(z.string(), z.unknown()),
      })
      .strict()
      .optional(),
    history: z.array(z.object({ assessedAt: z.string(), score: int(), level: z.enum(RISK_LEVELS) }).strict()),
    timeline: z.array(
      z
        .object({
          invoiceId: z.string(),
          number: z.string().optional(),
          status: z.string(),
          amount: MoneySchema,
          dueDate: z.string(),
          paidAt: z.string().optional(),
          daysLate: int(),
        })
        .strict(),
    ),
    openInvoices: z.array(
      z
        .object({
          invoiceId: z.string(),
          number: z.string().optional(),
          amount: MoneySchema,
          dueDate: z.string(),
          expectedDate: z.string().optional(),
          earliest: z.string().optional(),
          latest: z.string().optional(),
          /** The prediction in one sentence the owner can check (what it rests on, and for an overdue invoice how long it has waited). */
          explanation: z.string().optional(),
        })
        .strict(),
    ),
    discountRequests: z.array(
      z.object({ id: z.string(), amount: MoneySchema, requestedAt: z.string(), note: z.string().optional(), createdBy: z.string() }).strict(),
    ),
    actions: z.array(ActionRowSchema),
  })
  .strict();
export class ClientDetailDto extends createZodDto(ClientDetailSchema) {}
export type ClientDetail = z.infer<typeof ClientDetailSchema>;

// A discount request logged on the client page has the API's own body: NewDiscountRequestDto (src/risk/http/clients.schemas.ts).
export const LoggedDiscountRequestSchema = z.object({ id: z.string(), reassessed: z.boolean() }).strict();
export class LoggedDiscountRequestDto extends createZodDto(LoggedDiscountRequestSchema) {}

// ── actions ───────────────────────────────────────────────────────────────
export const ActionListQuerySchema = z
  .object({
    status: z.enum(['proposed', 'approved', 'applied', 'rejected', 'failed', 'waived', 'expired']).optional(),
    kind: z.enum(['late_fee', 'work_pause', 'work_resume', 'price_increase']).optional(),
    customerId: z.string().max(100).optional(),
  })
  .strict();
export class ActionListQueryDto extends createZodDto(ActionListQuerySchema) {}
export const ActionListSchema = z.object({ rows: z.array(ActionRowSchema) }).strict();
export class ActionListDto extends createZodDto(ActionListSchema) {}

export const DecisionSchema = z.object({ ids: z.array(z.string().uuid()).min(1).max(100), decision: z.enum(['approve', 'reject', 'waive']) }).strict();
export class DecisionDto extends createZodDto(DecisionSchema) {}
export const DecisionResultSchema = z
  .object({ results: z.array(z.object({ id: z.string(), ok: z.boolean(), status: z.string().optional(), error: z.string().optional() }).strict()) })
  .strict();
export class DecisionResultDto extends createZodDto(DecisionResultSchema) {}

// ── policies ──────────────────────────────────────────────────────────────
export const PoliciesSchema = z
  .object({
    file: z.string(),
    sections: z.array(z.object({ policy: z.string(), enabled: z.boolean(), words: z.array(z.string()) }).strict()),
  })
  .strict();
export class PoliciesDto extends createZodDto(PoliciesSchema) {}
export const DryRunSchema = z
  .object({
    planned: z.array(
      z
        .object({
          kind: z.enum(['late_fee', 'work_pause', 'work_resume', 'price_increase']),
          customerId: z.string(),
          clientName: z.string().optional(),
          mode: z.enum(['auto', 'approve']),
          invoiceId: z.string().optional(),
          amount: MoneySchema.optional(),
          reason: z.string(),
          why: z.string(),
          calculation: z.array(z.object({ label: z.string(), value: z.string() }).strict()),
          params: z.record(z.string(), z.unknown()),
        })
        .strict(),
    ),
  })
  .strict();
export class DryRunDto extends createZodDto(DryRunSchema) {}
