import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { GRANT_ROLES } from '../people/people.query';

export const SignInSchema = z.object({ code: z.string().min(10).max(200).describe('the code of a sign-in link (…/login?code=…)') }).strict();
export class SignInDto extends createZodDto(SignInSchema) {}

const AccountIdSchema = z
  .string()
  .regex(/^acct_[A-Za-z0-9_]{1,250}$/, 'expected a Stripe account id (acct_…)')
  .describe('a Stripe account id');

export const SessionAccountSchema = z
  .object({
    id: AccountIdSchema,
    name: z.string(),
    /** `owner` decides actions; `accountant` reads. */
    role: z.enum(GRANT_ROLES),
  })
  .strict();

export const SessionViewSchema = z
  .object({
    signedIn: z.boolean(),
    /** Send it back as X-CSRF-Token on every state-changing request. Null for bearer-token callers. */
    csrfToken: z.string().optional(),
    expiresAt: z.string().optional(),
    /** The account requests act for without a Payrisk-Account header: the session's selected one, else the only one (absent: several, none selected). */
    stripeAccountId: z.string().optional(),
    via: z.enum(['session', 'token']),
    /** Who signed in (absent: the instance's owner, or a token for one account). */
    person: z.object({ email: z.string(), displayName: z.string() }).strict().optional(),
    /** Every account the caller may see, by name. */
    accounts: z.array(SessionAccountSchema),
  })
  .strict();
export class SessionViewDto extends createZodDto(SessionViewSchema) {}

export const SelectAccountSchema = z.object({ account: AccountIdSchema }).strict();
export class SelectAccountDto extends createZodDto(SelectAccountSchema) {}

export const SignInLinkSchema = z.object({ url: z.string(), expiresAt: z.string() }).strict();
export class SignInLinkDto extends createZodDto(SignInLinkSchema) {}

export const EmailLinkRequestSchema = z
  .object({
    email: z
      .string()
      .max(254)
      .regex(/^[^@\s]+@[^@\s]+$/, 'expected an email address')
      .optional()
      .describe('whose link (default: OWNER_EMAIL); a person added with `payrisk people add` gets theirs'),
  })
  .strict();
/** No body at all (the sign-in page's button, `curl -X POST`) asks for the owner's link. */
export class EmailLinkRequestDto extends createZodDto(z.preprocess((body) => body ?? {}, EmailLinkRequestSchema)) {}

export const EmailLinkSchema = z.object({ sentTo: z.string().describe('the address, partly hidden') }).strict();
export class EmailLinkDto extends createZodDto(EmailLinkSchema) {}
