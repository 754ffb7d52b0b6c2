import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { customerId, isoInstant, safeText } from '../../common/http';
import { RISK_FLAGS, RISK_LEVELS } from '../../common/vocabulary';

export class ClientListQueryDto extends createZodDto(
  z
    .object({
      level: z.enum(RISK_LEVELS, { error: `expected one of ${RISK_LEVELS.join(', ')}` }).optional(),
      flag: z.enum(RISK_FLAGS, { error: `expected one of ${RISK_FLAGS.join(', ')}` }).optional(),
    })
    .strict(),
) {}

export class ClientIdParamsDto extends createZodDto(z.object({ id: customerId }).strict()) {}

/** How far back a logged discount request may be dated, and how far ahead (clock skew of the caller). */
export const REQUESTED_AT_MAX_PAST_DAYS = 5 * 366;
export const REQUESTED_AT_MAX_FUTURE_DAYS = 1;

export class NewDiscountRequestDto extends createZodDto(
  z
    .object({
      amount: z
        .number({ error: 'expected a positive whole number of minor units (e.g. 5000 for €50.00)' })
        .int('expected a positive whole number of minor units (e.g. 5000 for €50.00)')
        .positive('expected a positive whole number of minor units (e.g. 5000 for €50.00)')
        .max(Number.MAX_SAFE_INTEGER, 'expected a positive whole number of minor units (e.g. 5000 for €50.00)'),
      currency: z.string({ error: 'expected a three-letter ISO code like eur' }).regex(/^[A-Za-z]{3}$/, 'expected a three-letter ISO code like eur'),
      note: safeText(1_000).optional(),
      requestedAt: isoInstant
        .meta({ description: `when the client asked; at most ${REQUESTED_AT_MAX_PAST_DAYS} days ago and not in the future (default: now)` })
        .optional(),
    })
    .strict(),
) {}
