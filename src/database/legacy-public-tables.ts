import type { DataSource, QueryRunner } from 'typeorm';
import { migrations } from '../../migrations';
import { z } from 'zod';
import { column, selectOne, selectRows } from './select-rows';
import { PAYRISK_SCHEMA } from './data-source-options';

/**
 * What the migrations of versions before the `payrisk` schema created in `public`, by
 * migration name. Frozen: every later migration runs in the `payrisk` schema only, so
 * nothing is ever added here.
 */
export const LEGACY_PUBLIC_TABLES: Readonly<Record<string, readonly string[]>> = {
  Ledger1764050000000: ['clients', 'invoices', 'credit_notes', 'disputes', 'discount_requests', 'sync_cursors', 'processed_events'],
  RiskAssessments1764070000000: ['risk_assessments'],
  Notifications1764090000000: ['outbox_messages', 'alert_watermarks'],
  Policies1764100000000: ['actions', 'action_audit', 'invoice_payments'],
  Subscriptions1764110000000: ['subscriptions'],
  RiskIndexes1764130000000: [],
  ClientNotices1764140000000: [],
};

export interface LegacyMove {
  /** Tables moved from `public` to `payrisk`, `migrations` included when it was payrisk's alone. */
  tables: string[];
  /** Migration rows copied to `payrisk.migrations` (when `public.migrations` is shared with another app). */
  copiedMigrationRows: number;
}

const payriskMigrationNames = new Set(migrations.map((migration) => migration.name));
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function exists(runner: QueryRunner, schema: string, table: string): Promise<boolean> {
  const row = await selectOne(
    runner,
    `SELECT to_regclass($1) IS NOT NULL AS present`,
    [`${quoted(schema)}.${quoted(table)}`],
    z.object({ present: column.boolean }),
  );
  return row?.present === true;
}

/**
 * The upgrade from versions that kept payrisk's tables in `public`: when `payrisk.migrations`
 * does not exist yet and `public.migrations` records payrisk's migrations, the tables those
 * migrations created move to the `payrisk` schema (`ALTER TABLE … SET SCHEMA`, which takes
 * their indexes, constraints and sequences along), in one transaction. Any other table in
 * `public` stays where it is, untouched; so does a `public.migrations` that also records
 * another app's migrations (payrisk's rows are then copied, not moved).
 * Call under the migrations lock, after the `payrisk` schema exists.
 */
export async function moveLegacyTablesFromPublic(dataSource: DataSource): Promise<LegacyMove> {
  const none: LegacyMove = { tables: [], copiedMigrationRows: 0 };
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // An empty payrisk.migrations (made by a status check before the first migrate) does not count.
    const emptyTarget = await exists(runner, PAYRISK_SCHEMA, 'migrations');
    if (emptyTarget) {
      const row = await selectOne(runner, `SELECT count(*)::int AS count FROM ${quoted(PAYRISK_SCHEMA)}.migrations`, [], z.object({ count: column.int }));
      if ((row?.count ?? 0) > 0) return none;
    }
    if (!(await exists(runner, 'public', 'migrations'))) return none;
    const columns = await selectRows(
      runner,
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'migrations'`,
      [],
      z.object({ column_name: column.text }),
    );
    const names = new Set(columns.map((c) => c.column_name));
    if (!['id', 'timestamp', 'name'].every((c) => names.has(c))) return none; // not a TypeORM migrations table
    // TypeORM's migrations table: id serial, "timestamp" bigint (text here), name varchar.
    const recorded = await selectRows(
      runner,
      `SELECT id, "timestamp"::text AS "timestamp", name FROM public.migrations ORDER BY id`,
      [],
      z.object({ id: column.int, timestamp: column.bigint, name: column.text }),
    );
    const ours = recorded.filter((row) => payriskMigrationNames.has(row.name));
    if (ours.length === 0) return none;
    const unknown = ours.filter((row) => !(row.name in LEGACY_PUBLIC_TABLES));
    if (unknown.length > 0) {
      throw new Error(
        `public.migrations records ${unknown.map((r) => r.name).join(', ')}, which never ` +
          `ran in public; refusing to guess which tables to move to schema ${PAYRISK_SCHEMA}`,
      );
    }

    await runner.startTransaction();
    try {
      const moved: string[] = [];
      for (const table of ours.flatMap((row) => LEGACY_PUBLIC_TABLES[row.name])) {
        if (!(await exists(runner, 'public', table))) continue;
        if (await exists(runner, PAYRISK_SCHEMA, table)) {
          throw new Error(`both public.${table} and ${PAYRISK_SCHEMA}.${table} exist; move or drop one by hand, then migrate again`);
        }
        await runner.query(`ALTER TABLE public.${quoted(table)} SET SCHEMA ${quoted(PAYRISK_SCHEMA)}`);
        moved.push(table);
      }
      let copiedMigrationRows = 0;
      if (ours.length === recorded.length) {
        if (emptyTarget) await runner.query(`DROP TABLE ${quoted(PAYRISK_SCHEMA)}.migrations`);
        await runner.query(`ALTER TABLE public.migrations SET SCHEMA ${quoted(PAYRISK_SCHEMA)}`);
        moved.push('migrations');
      } else {
        // Shared with another app's migrations: leave it as it is, keep a copy of payrisk's rows.
        if (!emptyTarget)
          await runner.query(
            `CREATE TABLE ${quoted(PAYRISK_SCHEMA)}.migrations (id SERIAL PRIMARY KEY, "timestamp" bigint NOT NULL, name character varying NOT NULL)`,
          );
        for (const row of ours) {
          await runner.query(`INSERT INTO ${quoted(PAYRISK_SCHEMA)}.migrations ("timestamp", name) VALUES ($1, $2)`, [row.timestamp, row.name]);
        }
        copiedMigrationRows = ours.length;
      }
      await runner.commitTransaction();
      return { tables: moved, copiedMigrationRows };
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  } finally {
    await runner.release();
  }
}
