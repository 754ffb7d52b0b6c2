import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectOne } from '../../database/select-rows';
import { CONNECT_STATE_MINUTES, hashOf } from './connect-state';

/** Who started a Connect OAuth: a dashboard session (bound to its browser by a cookie) or the API token. */
export type ConnectStarter = { kind: 'session'; browserKey: string } | { kind: 'api_token' };

export interface ConnectStateRow {
  startedBy: 'session' | 'api_token';
  browserHash: string | null;
  accountName: string | null;
}

/** Stores a state handed out (hashed); it expires CONNECT_STATE_MINUTES later on the database's clock, as sign-in codes do. */
export async function insertConnectState(manager: EntityManager, nonce: string, starter: ConnectStarter, accountName: string | null): Promise<void> {
  await manager.query(
    `INSERT INTO connect_oauth_states (nonce_hash, started_by, browser_hash, account_name, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5))`,
    [hashOf(nonce), starter.kind, starter.kind === 'session' ? hashOf(starter.browserKey) : null, accountName, CONNECT_STATE_MINUTES],
  );
  await manager.query(`DELETE FROM connect_oauth_states WHERE expires_at < now() - interval '1 day'`);
}

export type SpentState = { ok: true; row: ConnectStateRow } | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'other_browser' };

/**
 * Spends a state: it works once, before it expires, and a session's only in the browser
 * that started it (its cookie). A state refused for the browser stays unspent, so a stranger
 * replaying it cannot use it up for the one who started it.
 */
export async function spendConnectState(manager: EntityManager, nonce: string, browserKey: string | undefined): Promise<SpentState> {
  const row = await selectOne(
    manager,
    `SELECT started_by, browser_hash, account_name, used_at IS NOT NULL AS used, expires_at <= now() AS expired
       FROM connect_oauth_states WHERE nonce_hash = $1 FOR UPDATE`,
    [hashOf(nonce)],
    stateRow,
  );
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.used) return { ok: false, reason: 'used' };
  if (row.expired) return { ok: false, reason: 'expired' };
  if (row.browser_hash !== null && (browserKey === undefined || hashOf(browserKey) !== row.browser_hash)) return { ok: false, reason: 'other_browser' };
  await manager.query(`UPDATE connect_oauth_states SET used_at = now() WHERE nonce_hash = $1`, [hashOf(nonce)]);
  return { ok: true, row: { startedBy: row.started_by, browserHash: row.browser_hash, accountName: row.account_name } };
}

const stateRow = z.object({
  started_by: z.enum(['session', 'api_token']),
  browser_hash: column.text.nullable(),
  account_name: column.text.nullable(),
  used: column.boolean,
  expired: column.boolean,
});
