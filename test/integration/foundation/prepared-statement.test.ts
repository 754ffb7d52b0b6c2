import { DataSource } from 'typeorm';
import { runForAccount } from '../../../src/database/account-scope';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import { preparedStatement, runPrepared } from '../../../src/database/prepared-statement';
import { scopeConnections } from '../../../src/database/scoped-connections';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

jest.setTimeout(60_000);

const A = 'acct_prepared_aaaa';
const B = 'acct_prepared_bbbb';

const CLIENT_NAMES = preparedStatement('test_client_names', `SELECT name FROM clients WHERE name LIKE $1 ORDER BY name`);

/**
 * Prepared statements (the webhook inbox's store) run on pooled connections that serve every
 * account: prepared once per connection, they must still see only the account of the work
 * under way, run inside the caller's transaction, and be planned for each run's values.
 */
describe('prepared statements', () => {
  let db: TestDatabase;
  let app: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const [account, name] of [
      [A, 'Prepared Alpha'],
      [B, 'Prepared Beta'],
    ])
      await runForAccount(account, () =>
        db.dataSource.query(`INSERT INTO clients (id, stripe_account_id, name, livemode, stripe_created_at) VALUES ($1, $2, $3, false, now())`, [
          `cus_${account.slice(-4)}`,
          account,
          name,
        ]),
      );
    // One connection: the statement is prepared once and then reused across both accounts.
    const options = dataSourceOptions(db.url);
    app = scopeConnections(await new DataSource({ ...options, extra: { ...(options.extra as object), max: 1 } } as typeof options).initialize(), {
      role: 'app',
    });
  });
  afterAll(async () => {
    await app?.destroy();
    await db.drop();
  });

  it("sees only the current account's rows, on a connection reused between accounts", async () => {
    const names = (account: string) => runForAccount(account, () => runPrepared<{ name: string }>(app, CLIENT_NAMES, ['Prepared %']));
    expect(await names(A)).toEqual([{ name: 'Prepared Alpha' }]);
    expect(await names(B)).toEqual([{ name: 'Prepared Beta' }]);
    expect(await names(A)).toEqual([{ name: 'Prepared Alpha' }]);
  });

  it("runs inside the caller's transaction: a rollback undoes what it wrote", async () => {
    const rename = preparedStatement('test_client_rename', `UPDATE clients SET name = $1 WHERE name = $2 RETURNING name`);
    await runForAccount(A, () =>
      app
        .transaction(async (manager) => {
          expect(await runPrepared(manager, rename, ['Prepared Renamed', 'Prepared Alpha'])).toEqual([{ name: 'Prepared Renamed' }]);
          throw new Error('roll back');
        })
        .catch((error: unknown) => expect((error as Error).message).toBe('roll back')),
    );
    expect(await runForAccount(A, () => runPrepared(app, CLIENT_NAMES, ['Prepared %']))).toEqual([{ name: 'Prepared Alpha' }]);
  });

  it('is planned for each run (no plan frozen while a table was young)', async () => {
    expect(await runPrepared(app, preparedStatement('test_plan_mode', `SELECT current_setting('plan_cache_mode') AS mode`), [])).toEqual([
      { mode: 'force_custom_plan' },
    ]);
  });
});
