import type { DataSource, EntityManager } from 'typeorm';

/** The part of a pooled `pg` client a prepared statement runs on. */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * A statement PostgreSQL parses once per pooled connection, then binds and executes: for the
 * hot statements run many times a second with small inputs (the webhook inbox's group
 * commit, the applier's batches), where parsing and rewriting cost more than executing
 * (measured: a store of three events took about 120 µs of PostgreSQL's CPU per event
 * unprepared, 80 prepared; bench/README.md). Each run is still planned for its values
 * (`plan_cache_mode`, data-source-options.ts). Its name must be unique per statement text:
 * `pg` refuses a name reused with another text.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

export function preparedStatement(name: string, text: string): PreparedStatement {
  return { name, text };
}

/**
 * Runs `statement` with `values` on the caller's transaction (`manager` from
 * `dataSource.transaction`) or, given the data source, on a connection of its own (checked
 * out as every query's is: scoped to the current account, scoped-connections.ts). The rows.
 */
export async function runPrepared<Row>(on: DataSource | EntityManager, statement: PreparedStatement, values: unknown[]): Promise<Row[]> {
  const manager = 'manager' in on ? on.manager : on;
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  const own = !manager.queryRunner;
  try {
    const client = (await runner.connect()) as PgClient;
    const result = await client.query({ name: statement.name, text: statement.text, values });
    return result.rows as Row[];
  } finally {
    if (own) await runner.release();
  }
}
