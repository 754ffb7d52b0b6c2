import { z } from 'zod';
import { RISK_FLAGS, RISK_LEVELS } from '../common/vocabulary';

/**
 * The owner's policy file (config/default.yaml, overridden by PAYRISK_CONFIG).
 * Objects are strict: an unknown key is a typo that would silently disable a
 * policy, so it stops the process instead.
 */
const nonNegativeInt = (what: string) => z.number().int(`${what} must be a whole number`).min(0, `${what} must be 0 or more`);
const positiveInt = (what: string) => z.number().int(`${what} must be a whole number`).min(1, `${what} must be 1 or more`);
const share = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const cron = z.string().regex(/^(\S+\s+){4,5}\S+$/, 'expected a cron expression with 5 or 6 fields');
const mode = z.enum(['auto', 'approve', 'off']);
const flag = z.enum(RISK_FLAGS);
const level = z.enum(RISK_LEVELS);

const appliesTo = z.strictObject({
  flags: z.array(flag).default([]),
  levels: z.array(level).default([]),
  allOverdue: z.boolean().default(false),
});

/**
 * The file as the owner writes it: the policies under `policies:` (config/default.yaml).
 * Parsed, they sit beside `detection` and `scheduler` (`policy.lateFee`, not `policy.policies.lateFee`).
 */
const policyFileFormat = z.strictObject({
  currency: z
    .string()
    .regex(/^[a-z]{3}$/, 'expected a lowercase ISO currency code like eur')
    .default('eur'),
  detection: z
    .strictObject({
      lookbackDays: positiveInt('lookbackDays').default(365),
      graceDays: nonNegativeInt('graceDays').default(3),
      recencyHalfLifeDays: positiveInt('recencyHalfLifeDays').default(120),
      chronicLate: z
        .strictObject({
          window: positiveInt('window').default(24),
          minLate: positiveInt('minLate').default(12),
          medianDaysLate: nonNegativeInt('medianDaysLate').default(10),
          minInvoices: positiveInt('minInvoices').default(6),
        })
        .refine((chronic) => chronic.minLate <= chronic.window, { message: 'minLate must not exceed window', path: ['minLate'] })
        .prefault({}),
      discounts: z
        .strictObject({
          windowDays: positiveInt('windowDays').default(180),
          minEvents: positiveInt('minEvents').default(3),
          maxShareOfBilling: share.default(0.1),
          reissueWindowDays: positiveInt('reissueWindowDays').default(30),
        })
        .prefault({}),
      arrears: z
        .strictObject({
          minDaysPastDue: nonNegativeInt('minDaysPastDue').default(30),
          minAmount: nonNegativeInt('minAmount').default(0),
        })
        .prefault({}),
      slipping: z
        .strictObject({
          recentInvoices: positiveInt('recentInvoices').default(3),
          earlierOnTimeShare: share.default(0.8),
          recentLateShare: share.default(0.66),
        })
        .prefault({}),
      levels: z
        .strictObject({
          watch: nonNegativeInt('watch').default(25),
          risky: nonNegativeInt('risky').default(50),
          critical: nonNegativeInt('critical').default(75),
        })
        .prefault({}),
    })
    .prefault({}),
  policies: z
    .strictObject({
      exemptCustomers: z.array(z.string().regex(/^cus_/, 'expected Stripe customer ids (cus_…)')).default([]),
      lateFee: z
        .strictObject({
          enabled: z.boolean().default(false),
          mode: mode.default('approve'),
          appliesTo: appliesTo.prefault({ allOverdue: true }),
          graceDays: nonNegativeInt('graceDays').default(7),
          preset: z.enum(['uk-late-payment-act', 'eu-late-payment-directive', 'monthly-1.5-percent', 'custom']).default('monthly-1.5-percent'),
          referenceRatePercent: z.number().min(0, 'must be 0 or more').default(0),
          method: z.enum(['fixed', 'percent', 'daily-interest']).default('percent'),
          fixedAmount: nonNegativeInt('fixedAmount').default(0),
          percent: z.number().min(0, 'must be 0 or more').default(1.5),
          annualRatePercent: z.number().min(0, 'must be 0 or more').default(0),
          minimumFee: nonNegativeInt('minimumFee').default(0),
          capAmount: nonNegativeInt('capAmount').optional(),
          capShareOfPrincipal: share.optional(),
          recurrence: z.enum(['once', 'monthly']).default('once'),
          applyAs: z.enum(['invoice_item', 'separate_invoice']).default('invoice_item'),
        })
        .prefault({}),
      workPause: z
        .strictObject({
          enabled: z.boolean().default(false),
          mode: mode.default('approve'),
          appliesTo: appliesTo.prefault({ allOverdue: true }),
          minDaysPastDue: nonNegativeInt('minDaysPastDue').default(45),
          minAmount: nonNegativeInt('minAmount').default(0),
          pauseSubscriptions: z.boolean().default(false),
        })
        .prefault({}),
      priceIncrease: z
        .strictObject({
          enabled: z.boolean().default(false),
          mode: mode.default('approve'),
          appliesTo: appliesTo.prefault({ flags: ['repeated_discount_demands'], levels: ['critical'] }),
          percent: z.number().min(0, 'must be 0 or more').default(20),
          noticeDays: positiveInt('noticeDays').default(30),
          sendNotice: z.boolean().default(false),
        })
        .prefault({}),
      approvalLinkTtlHours: positiveInt('approvalLinkTtlHours').default(72),
    })
    .prefault({}),
  notifications: z
    .strictObject({
      alertBatchMinutes: nonNegativeInt('alertBatchMinutes').default(60),
      digest: z
        .strictObject({
          enabled: z.boolean().default(true),
          cron: cron.default('0 8 * * 1'),
        })
        .prefault({}),
    })
    .prefault({}),
  scheduler: z
    .strictObject({
      syncCatchUp: cron.default('*/10 * * * *'),
      detect: cron.default('30 6 * * *'),
      policies: cron.default('0 7 * * *'),
      outbox: cron.default('*/1 * * * *'),
    })
    .prefault({}),
  stripe: z
    .strictObject({
      requestsPerSecondLive: positiveInt('requestsPerSecondLive').default(80),
      requestsPerSecondTest: positiveInt('requestsPerSecondTest').default(20),
      /** A sync stops (non-zero) once no Stripe request has succeeded for this long; it resumes next run. */
      unreachableAfterSeconds: positiveInt('unreachableAfterSeconds').default(300),
      /** Longest wait between tries of a request that exhausted its retries. */
      retryMaxDelaySeconds: positiveInt('retryMaxDelaySeconds').default(30),
    })
    .prefault({}),
});

export const policyFileSchema = policyFileFormat.transform(({ policies, ...rest }) => ({ ...rest, ...policies }));

export type PolicyFile = z.output<typeof policyFileSchema>;
