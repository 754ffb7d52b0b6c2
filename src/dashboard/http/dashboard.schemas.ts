import { createZodDto } from 'nestjs-zod';
// Nullable values are optional keys here (absent, not null): @nestjs/swagger turns the JSON schema
// type ["string", "null"] that zod makes for .nullable() into an array of strings.
import { z } from 'zod';

/** The dashboard's read models. The OpenAPI document is generated from these, and web/src/api/schema.d.ts from it. */

export const LEVELS = ['ok', 'watch', 'risky', 'critical'] as const;
export const FLAGS = ['chronic_late_payer', 'repeated_discount_demands', 'arrears', 'disputes', 'slipping'] as const;
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
    levels: z.array(z.object({ level: z.enum(LEVELS), count: int() }).strict()),
    movers: z.array(
      z.object({ customerId: z.string(), name: z.string().optional(), from: z.enum(LEVELS), to: z.enum(LEVELS), score: int(), changedAt: z.string() }).strict(),
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
    level: z.enum(LEVELS).optional(),
    flag: z.enum(FLAGS).optional(),
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
    level: z.enum(LEVELS),
    score: int(),
    flags: z.array(z.enum(FLAGS)),
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
