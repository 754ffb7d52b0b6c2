import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config';

/** One signed-in browser. `stripeAccountId` is null until an account switcher lets a session pick one of several accounts. */
export interface WebSession {
  tokenHash: string;
  csrfToken: string;
  stripeAccountId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export type SignInRequester = 'start' | 'cli' | 'email' | 'api';

export const SESSION_COOKIE = 'payrisk_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SIGN_IN_CODE_MINUTES = 15;
export const SESSION_HOURS = 12;

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * Sign-in codes and sessions, both kept in Postgres as hashes only (a copy of the table
 * signs nobody in). Times are the database's wall clock, never the sandbox's clock.
 */
@Injectable()
export class WebSessionService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A fresh one-time code (single use, 15 minutes) and the link that redeems it. */
  async issueSignInCode(requestedBy: SignInRequester): Promise<{ url: string; expiresAt: Date }> {
    const code = randomBytes(24).toString('base64url');
    const [row] = (await this.dataSource.query(
      `INSERT INTO sign_in_codes (code_hash, expires_at, requested_by) VALUES ($1, now() + make_interval(mins => $2), $3) RETURNING expires_at`,
      [hash(code), SIGN_IN_CODE_MINUTES, requestedBy],
    )) as { expires_at: Date }[];
    return { url: `${this.config.publicUrl.replace(/\/+$/, '')}/login?code=${code}`, expiresAt: row.expires_at };
  }

  /** Spends a code and opens a session; null when the code is unknown, used or expired. */
  async redeem(code: string): Promise<{ token: string; session: WebSession } | null> {
    return this.dataSource.transaction(async (manager) => {
      const spent = (await manager.query(
        `UPDATE sign_in_codes SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING code_hash`,
        [hash(code)],
      )) as unknown[][];
      if ((spent[0] ?? []).length === 0) return null;
      const token = randomBytes(32).toString('base64url');
      const rows = (await manager.query(
        `INSERT INTO web_sessions (token_hash, csrf_token, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))
         RETURNING token_hash, csrf_token, stripe_account_id, created_at, expires_at`,
        [hash(token), randomBytes(24).toString('base64url'), SESSION_HOURS],
      )) as SessionRow[];
      await manager.query(`DELETE FROM sign_in_codes WHERE expires_at < now() - interval '1 day'`);
      await manager.query(`DELETE FROM web_sessions WHERE expires_at < now() - interval '1 day'`);
      return { token, session: toSession(rows[0]) };
    });
  }

  /** The live session behind a cookie value, or null (unknown, ended or expired). */
  async find(token: string): Promise<WebSession | null> {
    const rows = (await this.dataSource.query(
      `SELECT token_hash, csrf_token, stripe_account_id, created_at, expires_at FROM web_sessions
        WHERE token_hash = $1 AND ended_at IS NULL AND expires_at > now()`,
      [hash(token)],
    )) as SessionRow[];
    return rows[0] ? toSession(rows[0]) : null;
  }

  /** Signs out: the cookie no longer opens anything, even if kept. */
  async end(tokenHash: string): Promise<void> {
    await this.dataSource.query(`UPDATE web_sessions SET ended_at = now() WHERE token_hash = $1 AND ended_at IS NULL`, [tokenHash]);
  }
}

interface SessionRow {
  token_hash: string;
  csrf_token: string;
  stripe_account_id: string | null;
  created_at: Date;
  expires_at: Date;
}

const toSession = (row: SessionRow): WebSession => ({
  tokenHash: row.token_hash,
  csrfToken: row.csrf_token,
  stripeAccountId: row.stripe_account_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

/** The value of one cookie in a Cookie header (no dependency needed for one name). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
