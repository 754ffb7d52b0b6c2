import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectOne } from '../database/select-rows';

// Sign-in codes and sessions as stored: hashes only. Times are the database's wall clock (`now()`), never the sandbox's clock.

const sessionRow = z.object({
  token_hash: column.text,
  csrf_token: column.text,
  stripe_account_id: column.text.nullable(),
  person_id: column.text.nullable(),
  created_at: column.timestamp,
  expires_at: column.timestamp,
});
export type SessionRow = z.output<typeof sessionRow>;

/** Stores a code's hash, valid for `minutes`, for a person (null: the instance's owner); returns when it expires. */
export async function insertSignInCode(manager: EntityManager, codeHash: string, minutes: number, requestedBy: string, personId: string | null): Promise<Date> {
  const row = await selectOne(
    manager,
    `INSERT INTO sign_in_codes (code_hash, expires_at, requested_by, person_id) VALUES ($1, now() + make_interval(mins => $2), $3, $4) RETURNING expires_at`,
    [codeHash, minutes, requestedBy, personId],
    z.object({ expires_at: column.timestamp }),
  );
  if (!row) throw new Error('INSERT … RETURNING gave no row');
  return row.expires_at;
}

/**
 * Marks the code used if it is live; undefined when it is unknown, used or expired (of two
 * racing redeems, one wins). Says whose code it was: a person's id, or null for the owner.
 */
export async function spendSignInCode(manager: EntityManager, codeHash: string): Promise<{ personId: string | null } | undefined> {
  const spent = await selectOne(
    manager,
    `UPDATE sign_in_codes SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING person_id`,
    [codeHash],
    z.object({ person_id: column.text.nullable() }),
  );
  return spent && { personId: spent.person_id };
}

export async function insertSession(manager: EntityManager, tokenHash: string, csrfToken: string, hours: number, personId: string | null): Promise<SessionRow> {
  const row = await selectOne(
    manager,
    `INSERT INTO web_sessions (token_hash, csrf_token, expires_at, person_id) VALUES ($1, $2, now() + make_interval(hours => $3), $4)
     RETURNING token_hash, csrf_token, stripe_account_id, person_id, created_at, expires_at`,
    [tokenHash, csrfToken, hours, personId],
    sessionRow,
  );
  if (!row) throw new Error('INSERT … RETURNING gave no row');
  return row;
}

/** Codes and sessions that ended more than a day ago are of no use to anyone. */
export async function deleteStaleSignIns(manager: EntityManager): Promise<void> {
  await manager.query(`DELETE FROM sign_in_codes WHERE expires_at < now() - interval '1 day'`);
  await manager.query(`DELETE FROM web_sessions WHERE expires_at < now() - interval '1 day'`);
}

export async function liveSession(manager: EntityManager, tokenHash: string): Promise<SessionRow | undefined> {
  return selectOne(
    manager,
    `SELECT token_hash, csrf_token, stripe_account_id, person_id, created_at, expires_at FROM web_sessions
      WHERE token_hash = $1 AND ended_at IS NULL AND expires_at > now()`,
    [tokenHash],
    sessionRow,
  );
}

export async function endSession(manager: EntityManager, tokenHash: string): Promise<void> {
  await manager.query(`UPDATE web_sessions SET ended_at = now() WHERE token_hash = $1 AND ended_at IS NULL`, [tokenHash]);
}

/** The account the session's switcher selected (checked against the person's grants by the caller). */
export async function selectSessionAccount(manager: EntityManager, tokenHash: string, stripeAccountId: string): Promise<void> {
  await manager.query(`UPDATE web_sessions SET stripe_account_id = $2 WHERE token_hash = $1 AND ended_at IS NULL`, [tokenHash, stripeAccountId]);
}
