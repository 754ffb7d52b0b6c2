import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectOne, selectRows } from '../database/select-rows';

// Sign-in codes and sessions as stored: hashes only. Times are the database's wall clock (`now()`), never the sandbox's clock.

const sessionRow = z.object({
  token_hash: column.text,
  csrf_token: column.text,
  stripe_account_id: column.text.nullable(),
  created_at: column.timestamp,
  expires_at: column.timestamp,
});
export type SessionRow = z.output<typeof sessionRow>;

/** Stores a code's hash, valid for `minutes`; returns when it expires. */
export async function insertSignInCode(manager: EntityManager, codeHash: string, minutes: number, requestedBy: string): Promise<Date> {
  const row = await selectOne(
    manager,
    `INSERT INTO sign_in_codes (code_hash, expires_at, requested_by) VALUES ($1, now() + make_interval(mins => $2), $3) RETURNING expires_at`,
    [codeHash, minutes, requestedBy],
    z.object({ expires_at: column.timestamp }),
  );
  if (!row) throw new Error('INSERT … RETURNING gave no row');
  return row.expires_at;
}

/** Marks the code used if it is live; false when it is unknown, used or expired (of two racing redeems, one wins). */
export async function spendSignInCode(manager: EntityManager, codeHash: string): Promise<boolean> {
  const spent = await selectRows(
    manager,
    `UPDATE sign_in_codes SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING code_hash`,
    [codeHash],
    z.object({ code_hash: column.text }),
  );
  return spent.length > 0;
}

export async function insertSession(manager: EntityManager, tokenHash: string, csrfToken: string, hours: number): Promise<SessionRow> {
  const row = await selectOne(
    manager,
    `INSERT INTO web_sessions (token_hash, csrf_token, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))
     RETURNING token_hash, csrf_token, stripe_account_id, created_at, expires_at`,
    [tokenHash, csrfToken, hours],
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
    `SELECT token_hash, csrf_token, stripe_account_id, created_at, expires_at FROM web_sessions
      WHERE token_hash = $1 AND ended_at IS NULL AND expires_at > now()`,
    [tokenHash],
    sessionRow,
  );
}

export async function endSession(manager: EntityManager, tokenHash: string): Promise<void> {
  await manager.query(`UPDATE web_sessions SET ended_at = now() WHERE token_hash = $1 AND ended_at IS NULL`, [tokenHash]);
}
