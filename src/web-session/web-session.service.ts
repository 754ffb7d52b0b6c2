import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config';
import {
  deleteStaleSignIns,
  endSession,
  insertSession,
  insertSignInCode,
  liveSession,
  selectSessionAccount,
  SessionRow,
  spendSignInCode,
} from './web-session.query';

/**
 * One signed-in browser: a person's (`personId`), or the instance owner's (null: the printed
 * link, `payrisk login-link`, OWNER_EMAIL). `stripeAccountId` is the account the switcher
 * selected (null: none yet, the only one the caller may see is used).
 */
export interface WebSession {
  tokenHash: string;
  csrfToken: string;
  stripeAccountId: string | null;
  personId: string | null;
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

  /** A fresh one-time code (single use, 15 minutes) and the link that redeems it: for a person, or (null) the instance's owner. */
  async issueSignInCode(requestedBy: SignInRequester, personId: string | null = null): Promise<{ url: string; expiresAt: Date }> {
    const code = randomBytes(24).toString('base64url');
    const expiresAt = await insertSignInCode(this.dataSource.manager, hash(code), SIGN_IN_CODE_MINUTES, requestedBy, personId);
    return { url: `${this.config.publicUrl.replace(/\/+$/, '')}/login?code=${code}`, expiresAt };
  }

  /** Spends a code and opens a session; null when the code is unknown, used or expired. */
  async redeem(code: string): Promise<{ token: string; session: WebSession } | null> {
    return this.dataSource.transaction(async (manager) => {
      const spent = await spendSignInCode(manager, hash(code));
      if (!spent) return null;
      const token = randomBytes(32).toString('base64url');
      const row = await insertSession(manager, hash(token), randomBytes(24).toString('base64url'), SESSION_HOURS, spent.personId);
      await deleteStaleSignIns(manager);
      return { token, session: toSession(row) };
    });
  }

  /** The live session behind a cookie value, or null (unknown, ended or expired). */
  async find(token: string): Promise<WebSession | null> {
    const row = await liveSession(this.dataSource.manager, hash(token));
    return row ? toSession(row) : null;
  }

  /** Remembers the account the switcher chose for this session (the caller has checked it may see it). */
  async selectAccount(tokenHash: string, stripeAccountId: string): Promise<void> {
    await selectSessionAccount(this.dataSource.manager, tokenHash, stripeAccountId);
  }

  /** Signs out: the cookie no longer opens anything, even if kept. */
  async end(tokenHash: string): Promise<void> {
    await endSession(this.dataSource.manager, tokenHash);
  }
}

const toSession = (row: SessionRow): WebSession => ({
  tokenHash: row.token_hash,
  csrfToken: row.csrf_token,
  stripeAccountId: row.stripe_account_id,
  personId: row.person_id,
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
