import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import { ACCOUNT_SETTING, APP_ROLE } from '../../migrations/1764700000000-row-level-security';
import { scopedAccountId } from './account-scope';
import { dataSourceOptions } from './data-source-options';

export { ACCOUNT_SETTING, APP_ROLE };

/**
 * Who a data source's connections act as:
 * - `app`: the application (server, CLI, workers). Each connection switches to `payrisk_app`,
 *   which row-level security always holds (migration 1764700000000), whatever user
 *   DATABASE_URL names; inside `runAsOwner` (migrations, emptying the sandbox's ledger) it
 *   stays the connecting user.
 * - `owner`: the connecting user throughout (the test harness, which seeds every account's rows).
 * Either way `payrisk.account_id` follows `scopedAccountId()`.
 */
export type ConnectionRole = 'app' | 'owner';

const ownerWork = new AsyncLocalStorage<true>();

/** Whether the connecting user can switch to `payrisk_app`, per data source (asked once; again after a migration). */
const appRoleUsable = new WeakMap<DataSource, boolean>();

/** After migrating: the role may exist now. */
export function forgetAppRoleCheck(dataSource: DataSource): void {
  appRoleUsable.delete(dataSource);
}

/** Runs `work` as the connecting user (the schema's owner), outside row-level security when it is a superuser or has BYPASSRLS. */
export function runAsOwner<T>(work: () => Promise<T>): Promise<T> {
  return ownerWork.run(true, work);
}

interface PgClient {
  query(text: string, values?: unknown[]): Promise<unknown>;
}
type Checkout = [PgClient, (error?: unknown) => void];
interface Setting {
  role: string;
  account: string;
}
/** A new connection: the connecting user (`SET ROLE NONE`), no account. */
const FRESH: Setting = { role: 'none', account: '' };

/**
 * Makes every connection the data source hands out (TypeORM's `obtainMasterConnection`, the
 * one checkout every query runner, transaction and `dataSource.query` goes through) carry the
 * role and the account of the work it serves. The setting is per session and remembered per
 * connection, so it costs one round trip only when a connection changes hands between
 * accounts (or roles); with one account, once per pooled connection. It is always written at
 * checkout, before the borrower's first statement and outside any transaction (a pooled
 * connection is idle), so a rollback cannot undo it behind our back. A failure to set it
 * discards the connection and fails the checkout: nothing runs under another account's setting.
 */
export function scopeConnections(
  dataSource: DataSource,
  options: {
    role: ConnectionRole;
    /** The account a connection works for outside any scope (the test harness's fixtures' account); none by default: nothing visible. */
    unscopedAccount?: string;
  },
): DataSource {
  const driver = dataSource.driver as unknown as { obtainMasterConnection(): Promise<Checkout> };
  const checkout = driver.obtainMasterConnection.bind(driver);
  const settings = new WeakMap<PgClient, Setting>();
  const roleOf = async (client: PgClient): Promise<string> => {
    if (options.role === 'owner' || ownerWork.getStore()) return 'none';
    let usable = appRoleUsable.get(dataSource);
    if (usable === undefined) {
      const rows = (await client.query(
        `SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = $1 AND pg_has_role(session_user, r.oid, 'MEMBER')) AS usable`,
        [APP_ROLE],
      )) as { rows: { usable: boolean }[] };
      usable = rows.rows[0].usable;
      appRoleUsable.set(dataSource, usable);
    }
    // Without the role (a user that may not create roles), the connecting user, held by the forced policies.
    return usable ? APP_ROLE : 'none';
  };
  driver.obtainMasterConnection = async (): Promise<Checkout> => {
    const [client, release] = await checkout();
    let wanted: Setting;
    try {
      wanted = { role: await roleOf(client), account: scopedAccountId() ?? options.unscopedAccount ?? '' };
    } catch (error) {
      release(error);
      throw error;
    }
    const current = settings.get(client) ?? FRESH;
    if (current.role !== wanted.role || current.account !== wanted.account) {
      try {
        await client.query(`SELECT set_config('role', $1, false), set_config('${ACCOUNT_SETTING}', $2, false)`, [wanted.role, wanted.account]);
      } catch (error) {
        settings.delete(client);
        release(error);
        throw error;
      }
      settings.set(client, wanted);
    }
    return [client, release];
  };
  return dataSource;
}

/**
 * The application's data source on `url`, initialized: what the server, the commands and a
 * worker open (not migrated: `migrateDatabase` runs as the owner on it).
 */
export async function openAppDataSource(url: string): Promise<DataSource> {
  return scopeConnections(await new DataSource(dataSourceOptions(url)).initialize(), { role: 'app' });
}
