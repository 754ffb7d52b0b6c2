import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const SignInSchema = z.object({ code: z.string().min(10).max(200).describe('the code of a sign-in link (…/login?code=…)') }).strict();
export class SignInDto extends createZodDto(SignInSchema) {}

export const SessionViewSchema = z
  .object({
    signedIn: z.boolean(),
    /** Send it back as X-CSRF-Token on every state-changing request. Null for bearer-token callers. */
    csrfToken: z.string().optional(),
    expiresAt: z.string().optional(),
    /** The Stripe account this session works on (absent: the instance's only account). */
    stripeAccountId: z.string().optional(),
    via: z.enum(['session', 'token']),
  })
  .strict();
export class SessionViewDto extends createZodDto(SessionViewSchema) {}

export const SignInLinkSchema = z.object({ url: z.string(), expiresAt: z.string() }).strict();
export class SignInLinkDto extends createZodDto(SignInLinkSchema) {}

export const EmailLinkSchema = z.object({ sentTo: z.string().describe('the owner address, partly hidden') }).strict();
export class EmailLinkDto extends createZodDto(EmailLinkSchema) {}
