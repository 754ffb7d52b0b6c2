import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectOne, selectRows } from '../database/select-rows';

/**
 * How payrisk reaches an account: `key` = with its own key (`payrisk accounts add`);
 * `connect` = connected to the platform by OAuth: the platform's key with `Stripe-Account`.
 */
export type AccountConnection = 'key' | 'connect';

/** An added Stripe account as stored; the key and webhook secret stay sealed (src/accounts/secrets). */
export interface AccountRow {
  stripeAccountId: string;
  name: string;
  connection: AccountConnection;
  /** Null for a connected account: it has no key of its own here. */
  apiKeySealed: Buffer | null;
  apiKeyHint: string | null;
  /** The platform whose key acts for a connected account (null for `key`). */
  platformAccountId: string | null;
  /** What Stripe granted a connected account's platform (`read_write`, `read_only`). */
  connectScope: string | null;
  livemode: boolean;
  webhookSecretSealed: Buffer | null;
  ownerEmail: string | null;
  policyFile: string | null;
  defaultCurrency: string | null;
  createdAt: Date;
  updatedAt: Date;
  removedAt: Date | null;
}

export interface NewAccount {
  stripeAccountId: string;
  name: string;
  apiKeySealed: Buffer;
  apiKeyHint: string;
  livemode: boolean;
  webhookSecretSealed: Buffer | null;
  ownerEmail: string | null;
  policyFile: string | null;
  defaultCurrency: string | null;
}

const accountRecord = z.object({
  stripe_account_id: column.text,
  name: column.text,
  connection: z.enum(['key', 'connect']),
  api_key_sealed: z.instanceof(Buffer).nullable(),
  api_key_hint: column.text.nullable(),
  platform_account_id: column.text.nullable(),
  connect_scope: column.text.nullable(),
  livemode: column.boolean,
  webhook_secret_sealed: z.instanceof(Buffer).nullable(),
  owner_email: column.text.nullable(),
  policy_file: column.text.nullable(),
  default_currency: column.text.nullable(),
  created_at: column.timestamp,
  updated_at: column.timestamp,
  removed_at: column.timestamp.nullable(),
});
type RawAccount = z.output<typeof accountRecord>;

/** `RETURNING (xmax = 0) AS created`: true when the upsert inserted rather than updated. */
const createdRow = z.object({ created: column.boolean });

const toRow = (r: RawAccount): AccountRow => ({
  stripeAccountId: r.stripe_account_id,
  name: r.name,
  connection: r.connection,
  apiKeySealed: r.api_key_sealed,
  apiKeyHint: r.api_key_hint,
  platformAccountId: r.platform_account_id,
  connectScope: r.connect_scope,
  livemode: r.livemode,
  webhookSecretSealed: r.webhook_secret_sealed,
  ownerEmail: r.owner_email,
  policyFile: r.policy_file,
  defaultCurrency: r.default_currency,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  removedAt: r.removed_at === null ? null : new Date(r.removed_at),
});

/** Accounts by name, the removed ones only when asked. */
export async function listAccounts(manager: EntityManager, options: { includeRemoved?: boolean } = {}): Promise<AccountRow[]> {
  const rows = await selectRows(
    manager,
    `SELECT * FROM accounts ${options.includeRemoved ? '' : 'WHERE removed_at IS NULL'} ORDER BY lower(name), stripe_account_id`,
    [],
    accountRecord,
  );
  return rows.map(toRow);
}

export async function findAccount(manager: EntityManager, stripeAccountId: string): Promise<AccountRow | undefined> {
  const row = await selectOne(manager, `SELECT * FROM accounts WHERE stripe_account_id = $1`, [stripeAccountId], accountRecord);
  return row && toRow(row);
}

/**
 * Adds the account, or, when it was added before, replaces what is stored about it (a new
 * key, a new name) and brings it back if it was removed: adding twice is safe. Returns
 * whether the row is new.
 */
export async function upsertAccount(manager: EntityManager, account: NewAccount, now: Date): Promise<{ created: boolean }> {
  const rows = await selectRows(
    manager,
    `INSERT INTO accounts AS a (stripe_account_id, name, api_key_sealed, api_key_hint, livemode, webhook_secret_sealed,
                                owner_email, policy_file, default_currency, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
     ON CONFLICT (stripe_account_id) DO UPDATE SET
       name = excluded.name, api_key_sealed = excluded.api_key_sealed, api_key_hint = excluded.api_key_hint,
       connection = 'key', platform_account_id = NULL, connect_scope = NULL,
       livemode = excluded.livemode, webhook_secret_sealed = excluded.webhook_secret_sealed, owner_email = excluded.owner_email,
       policy_file = excluded.policy_file, default_currency = excluded.default_currency, updated_at = excluded.updated_at,
       removed_at = NULL
     RETURNING (xmax = 0) AS created`,
    [
      account.stripeAccountId,
      account.name,
      account.apiKeySealed,
      account.apiKeyHint,
      account.livemode,
      account.webhookSecretSealed,
      account.ownerEmail,
      account.policyFile,
      account.defaultCurrency,
      now,
    ],
    createdRow,
  );
  return { created: rows[0].created };
}

/** A Standard account connected to the platform by OAuth: what Stripe's token answer says, and no key. */
export interface NewConnectedAccount {
  stripeAccountId: string;
  name: string;
  platformAccountId: string;
  livemode: boolean;
  scope: string | null;
  defaultCurrency: string | null;
}

/**
 * Stores an account connected through the platform (again: updated, and back if it was
 * removed). An account added before with its own key becomes a connected one: its key is
 * dropped, since the platform's now reaches it. Returns whether the row is new.
 */
export async function upsertConnectedAccount(manager: EntityManager, account: NewConnectedAccount, now: Date): Promise<{ created: boolean }> {
  const rows = await selectRows(
    manager,
    `INSERT INTO accounts AS a (stripe_account_id, name, connection, api_key_sealed, api_key_hint, platform_account_id, connect_scope,
                                livemode, default_currency, created_at, updated_at)
     VALUES ($1, $2, 'connect', NULL, NULL, $3, $4, $5, $6, $7, $7)
     ON CONFLICT (stripe_account_id) DO UPDATE SET
       connection = 'connect', api_key_sealed = NULL, api_key_hint = NULL, platform_account_id = excluded.platform_account_id,
       connect_scope = excluded.connect_scope, livemode = excluded.livemode,
       default_currency = COALESCE(excluded.default_currency, a.default_currency), updated_at = excluded.updated_at,
       name = excluded.name, removed_at = NULL
     RETURNING (xmax = 0) AS created`,
    [account.stripeAccountId, account.name, account.platformAccountId, account.scope, account.livemode, account.defaultCurrency, now],
    createdRow,
  );
  return { created: rows[0].created };
}

/** Another account not removed that already uses `name` (names are compared case-insensitively). */
export async function accountNamed(manager: EntityManager, name: string): Promise<AccountRow | undefined> {
  const row = await selectOne(manager, `SELECT * FROM accounts WHERE lower(name) = lower($1) AND removed_at IS NULL`, [name], accountRecord);
  return row && toRow(row);
}

/** Marks the account removed (no work runs for it any more); its data stays. False when it was already removed. */
export async function markAccountRemoved(manager: EntityManager, stripeAccountId: string, now: Date): Promise<boolean> {
  const [, affected] = (await manager.query(`UPDATE accounts SET removed_at = $2, updated_at = $2 WHERE stripe_account_id = $1 AND removed_at IS NULL`, [
    stripeAccountId,
    now,
  ])) as [unknown, number];
  return affected > 0;
}
