import type { PolicyFile } from './policy-file.schema';

/** Validated configuration: the only shape the rest of payrisk sees. */
export interface AppConfig {
  /** Directory for embedded data (pgdata, outbox, api token); `.payrisk` in the working directory by default. */
  homeDir: string;
  port: number;
  /** Address the server listens on (HOST): 127.0.0.1 unless set; the container image sets 0.0.0.0. */
  host: string;
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  database: { url?: string };
  /**
   * `connectClientId` (ca_…): the platform's Connect OAuth client; unset = /connect/start explains how to enable it.
   * `connectWebhookSecret`: verifies POST /webhooks/stripe/connect (events of connected accounts); unset = that endpoint refuses.
   */
  stripe: { secretKey?: string; apiBase?: string; webhookSecret?: string; connectClientId?: string; connectWebhookSecret?: string };
  mail: { smtpUrl?: string; from: string; ownerEmail: string };
  api: { token?: string };
  /** PAYRISK_SECRET_KEY decoded (32 bytes): encrypts stored Stripe keys; unset → generated once under `<home>/secret.key`. */
  dataKey?: Buffer;
  /** The YAML file the policies were read from. */
  policyFilePath: string;
  policy: PolicyFile;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
