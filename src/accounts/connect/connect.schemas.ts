import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const text = (max: number) => z.string().max(max).optional();

/** GET /connect/start: an optional name for the account to connect (else Stripe's business name, else its id). */
export const connectStartQuery = z
  .object({ name: z.string().trim().min(1, 'expected a name, e.g. "Acme Studio"').max(100, 'at most 100 characters').optional() })
  .strict();
export class ConnectStartDto extends createZodDto(connectStartQuery) {}

/**
 * GET /connect/callback: what Stripe appends to the redirect. Parsed by the controller, not
 * the validation pipe: a person lands here, so a bad value gets a page, not a JSON error.
 * Not strict: Stripe may append parameters we do not use. Approved: code, scope; declined:
 * error, error_description; both: state.
 */
export const connectCallbackQuery = z.object({
  code: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,200}$/, 'expected an authorization code')
    .optional(),
  state: text(200),
  scope: text(100),
  error: text(100),
  error_description: text(500),
});

export type ConnectCallbackQuery = z.infer<typeof connectCallbackQuery>;
