import { z } from 'zod';

/**
 * The environment payrisk reads. Every variable is optional: without them the
 * embedded defaults serve (embedded Postgres, the Stripe sandbox, the .eml outbox).
 */
const optionalUrl = (protocols: string[], expected: string) =>
  z
    .string()
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, expected)
    .optional();

const optionalEmail = z.email('expected an email address like owner@example.com').optional();

/** 32 bytes from 64 hex digits or (url-safe) base64; undefined when the text is neither. */
export function decodeSecretKey(text: string): Buffer | undefined {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === 32) return key;
  }
  return undefined;
}

export const envSchema = z.object({
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:'], 'expected a postgres:// URL'),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, 'expected a Stripe secret key (sk_test_…, sk_live_… or rk_…)')
    .optional(),
  STRIPE_API_BASE: optionalUrl(['http:', 'https:'], 'expected an http(s) URL such as http://127.0.0.1:12111'),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9_+/=]+$/, 'expected a webhook signing secret starting with whsec_')
    .optional(),
  // The platform's Connect client id (Stripe dashboard → Settings → Connect → Onboarding options → OAuth): enables GET /connect/start.
  STRIPE_CONNECT_CLIENT_ID: z
    .string()
    .regex(/^ca_[A-Za-z0-9]+$/, 'expected the Connect client id starting with ca_ (Stripe dashboard → Settings → Connect → Onboarding options → OAuth)')
    .optional(),
  // The signing secret of the platform's Connect webhook endpoint (POST /webhooks/stripe/connect, "Listen to events on connected accounts").
  STRIPE_CONNECT_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9_+/=]+$/, 'expected the Connect endpoint signing secret starting with whsec_')
    .optional(),
  SMTP_URL: optionalUrl(['smtp:', 'smtps:'], 'expected an smtp:// or smtps:// URL'),
  MAIL_FROM: z.string().min(3, 'expected a sender like "payrisk <payrisk@example.com>"').optional(),
  OWNER_EMAIL: optionalEmail,
  PAYRISK_CONFIG: z.string().min(1, 'expected a path to a YAML policy file').optional(),
  PORT: z
    .string()
    .regex(/^\d+$/, 'expected an integer port between 1 and 65535')
    .transform(Number)
    .refine((port) => port >= 1 && port <= 65535, 'expected an integer port between 1 and 65535')
    .optional(),
  HOST: z
    .string()
    .regex(
      /^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$/,
      'expected an address to listen on, such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)',
    )
    .optional(),
  API_TOKEN: z.string().min(16, 'expected a token of at least 16 characters').optional(),
  PUBLIC_URL: optionalUrl(['http:', 'https:'], 'expected an http(s) URL such as https://payrisk.example.com'),
  PAYRISK_HOME: z.string().min(1, 'expected a directory path').optional(),
  // Encrypts the Stripe keys of added accounts (src/accounts/secrets): exactly 32 bytes, as 64 hex digits or base64.
  PAYRISK_SECRET_KEY: z
    .string()
    .transform((value, ctx) => {
      const key = decodeSecretKey(value);
      if (!key) {
        ctx.addIssue({ code: 'custom', message: 'expected 32 random bytes as 64 hex digits or base64 (e.g. the output of `openssl rand -base64 32`)' });
        return z.NEVER;
      }
      return key;
    })
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
});

export type RawEnv = z.infer<typeof envSchema>;

/** Variables whose values must never reach a log line. */
export const SECRET_ENV_KEYS = [
  'DATABASE_URL',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'STRIPE_CONNECT_WEBHOOK_SECRET',
  'SMTP_URL',
  'API_TOKEN',
  'PAYRISK_SECRET_KEY',
] as const;
