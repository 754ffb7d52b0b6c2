import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { uuidId } from '../../common/http';

export const DECISIONS = ['approve', 'reject', 'waive'] as const;

export class ApprovalParamsDto extends createZodDto(
  z.object({ id: uuidId, decision: z.enum(DECISIONS, { error: `expected one of ${DECISIONS.join(', ')}` }) }).strict(),
) {}

/**
 * The signed part of the link. Unlike the API's schemas this one drops unknown keys instead
 * of refusing them: mail clients and link wrappers append `utm_*` and the like to links, and
 * the signature covers exactly account, action, decision and expiry, so extra keys change nothing.
 */
export class ApprovalQueryDto extends createZodDto(
  z
    .object({
      expires: z.string().regex(/^\d{1,12}$/, 'expected the expiry of the link (unix seconds)'),
      sig: z.string().regex(/^[0-9a-f]{64}$/, 'expected the signature of the link (64 hex digits)'),
      account: z
        .string()
        .regex(/^acct_[A-Za-z0-9_]{1,250}$/, 'expected the Stripe account of the link (acct_…)')
        .optional(),
    })
    .strip(),
) {}
