import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectOne, selectRows } from '../database/select-rows';

/** A stored API token: for exactly one account, or for one person (who acts with their grants). */
export interface ApiTokenRow {
  id: string;
  name: string;
  hint: string;
  stripeAccountId: string | null;
  personId: string | null;
  personEmail: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const tokenRow = z.object({
  id: column.text,
  name: column.text,
  hint: column.text,
  stripe_account_id: column.text.nullable(),
  person_id: column.text.nullable(),
  person_email: column.text.nullable(),
  created_at: column.timestamp,
  last_used_at: column.timestamp.nullable(),
  revoked_at: column.timestamp.nullable(),
});
const toToken = (r: z.output<typeof tokenRow>): ApiTokenRow => ({
  id: r.id,
  name: r.name,
  hint: r.hint,
  stripeAccountId: r.stripe_account_id,
  personId: r.person_id,
  personEmail: r.person_email,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});
const SELECT = `SELECT t.id, t.name, t.hint, t.stripe_account_id, t.person_id, p.email AS person_email, t.created_at, t.last_used_at, t.revoked_at
                  FROM api_tokens t LEFT JOIN people p ON p.id = t.person_id`;

export async function insertApiToken(
  manager: EntityManager,
  token: { name: string; tokenHash: string; hint: string; stripeAccountId: string | null; personId: string | null },
): Promise<ApiTokenRow> {
  const inserted = await selectOne(
    manager,
    `INSERT INTO api_tokens (name, token_hash, hint, stripe_account_id, person_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [token.name, token.tokenHash, token.hint, token.stripeAccountId, token.personId],
    z.object({ id: column.text }),
  );
  const row = inserted && (await selectOne(manager, `${SELECT} WHERE t.id = $1`, [inserted.id], tokenRow));
  if (!row) throw new Error('INSERT … RETURNING gave no row');
  return toToken(row);
}

/** The live (not revoked) token with this hash, marked as used now; undefined for an unknown or revoked one. */
export async function useApiToken(manager: EntityManager, tokenHash: string): Promise<ApiTokenRow | undefined> {
  const used = await selectOne(
    manager,
    `UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id`,
    [tokenHash],
    z.object({ id: column.text }),
  );
  const row = used && (await selectOne(manager, `${SELECT} WHERE t.id = $1`, [used.id], tokenRow));
  return row && toToken(row);
}

export async function listApiTokens(manager: EntityManager, options: { includeRevoked?: boolean } = {}): Promise<ApiTokenRow[]> {
  const rows = await selectRows(manager, `${SELECT} ${options.includeRevoked ? '' : 'WHERE t.revoked_at IS NULL'} ORDER BY t.created_at, t.id`, [], tokenRow);
  return rows.map(toToken);
}

/** Revokes a token by id or by name (a name may be shared: then only the id says which); returns what was revoked. */
export async function revokeApiTokens(manager: EntityManager, idOrName: string): Promise<ApiTokenRow[]> {
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
  const matches = (
    await selectRows(manager, `${SELECT} WHERE t.revoked_at IS NULL AND ${isId ? 't.id = $1::uuid' : 'lower(t.name) = lower($1)'}`, [idOrName], tokenRow)
  ).map(toToken);
  if (matches.length === 1) await manager.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1`, [matches[0].id]);
  return matches;
}
