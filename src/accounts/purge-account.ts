import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectOne, selectRows } from '../database/select-rows';

export interface PurgedTable {
  table: string;
  rows: number;
}

/**
 * Tables whose rows belong to an account through a client or an action rather than a
 * `stripe_account_id` of their own; deleted first, while the rows they point to still exist.
 * Outbox messages with no client (the digest) name no account and stay.
 */
const THROUGH = [
  { table: 'action_audit', where: 'action_id IN (SELECT id FROM actions WHERE stripe_account_id = $1)' },
  { table: 'alert_watermarks', where: 'client_id IN (SELECT id FROM clients WHERE stripe_account_id = $1)' },
  { table: 'client_risk_latest', where: 'client_id IN (SELECT id FROM clients WHERE stripe_account_id = $1)' },
  { table: 'outbox_messages', where: 'client_id IN (SELECT id FROM clients WHERE stripe_account_id = $1)' },
];

/**
 * Every table of payrisk's schema with a `stripe_account_id`, read from the catalog so a
 * table a later migration adds is purged too; ordered so a table referencing another by a
 * foreign key comes first. `accounts` itself is left for last by the caller.
 */
async function accountTables(manager: EntityManager): Promise<string[]> {
  const tables = (
    await selectRows(
      manager,
      `SELECT c.table_name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = current_schema() AND c.column_name = 'stripe_account_id' AND c.table_name <> 'accounts'
        ORDER BY c.table_name`,
      [],
      z.object({ table_name: column.text }),
    )
  ).map((r) => r.table_name);
  const edges = await selectRows(
    manager,
    `SELECT child.relname AS child, parent.relname AS parent FROM pg_constraint k
       JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = child.relnamespace
      WHERE k.contype = 'f' AND n.nspname = current_schema() AND child.oid <> parent.oid`,
    [],
    z.object({ child: column.text, parent: column.text }),
  );
  // Children before parents (depth-first; foreign keys between these tables form no cycle).
  const ordered: string[] = [];
  const visit = (table: string, seen: Set<string>): void => {
    if (ordered.includes(table) || seen.has(table)) return;
    seen.add(table);
    for (const edge of edges) if (edge.parent === table && tables.includes(edge.child)) visit(edge.child, seen);
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}

/**
 * Deletes everything payrisk holds for one Stripe account, the account row last; with
 * `dryRun`, counts what would go and changes nothing. Run it in one transaction (the caller's
 * manager): either all of the account's data goes, or none of it.
 */
export async function purgeAccountData(manager: EntityManager, stripeAccountId: string, options: { dryRun: boolean }): Promise<PurgedTable[]> {
  const own = await accountTables(manager);
  const steps = [
    ...THROUGH.filter((step) => !own.includes(step.table)),
    ...own.map((table) => ({ table, where: 'stripe_account_id = $1' })),
    { table: 'accounts', where: 'stripe_account_id = $1' },
  ];
  const result: PurgedTable[] = [];
  for (const { table, where } of steps) {
    // Table names come from the list above or the catalog, never from input; quoted all the same.
    const name = `"${table.replace(/"/g, '""')}"`;
    const sql = options.dryRun
      ? `SELECT count(*)::int AS rows FROM ${name} WHERE ${where}`
      : `WITH gone AS (DELETE FROM ${name} WHERE ${where} RETURNING 1) SELECT count(*)::int AS rows FROM gone`;
    const counted = await selectOne(manager, sql, [stripeAccountId], z.object({ rows: column.int }));
    result.push({ table, rows: counted?.rows ?? 0 });
  }
  return result;
}
