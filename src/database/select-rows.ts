import { z } from 'zod';

/** What runs SQL: the caller's `EntityManager` (inside its transaction or not), or a `QueryRunner`. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * The one way to read rows: SQL, its parameters and a zod schema of one row. The rows are
 * checked against the schema, so a renamed column or a changed type fails here with the
 * query's first line, instead of flowing on as `undefined` behind an `as` cast.
 *
 * `UPDATE … RETURNING` and `DELETE … RETURNING` are read too (TypeORM's Postgres driver
 * answers those with `[rows, count]`; the rows are taken from it).
 *
 * Cost: zod checks a small row in about a microsecond. Hot bulk paths (the sync's upserts,
 * detection's history loader, the reports) read many thousands of rows and keep
 * `manager.query` with their row type, each saying why next to it.
 */
export async function selectRows<Row extends z.ZodType>(manager: Queryable, sql: string, params: readonly unknown[], row: Row): Promise<z.output<Row>[]> {
  const raw = await manager.query(sql, [...params]);
  const records = isWriteResult(raw) ? raw[0] : raw;
  const parsed = z.array(row).safeParse(records);
  if (!parsed.success) throw new RowShapeError(sql, parsed.error);
  return parsed.data;
}

/** The first row, or undefined when there is none. */
export async function selectOne<Row extends z.ZodType>(
  manager: Queryable,
  sql: string,
  params: readonly unknown[],
  row: Row,
): Promise<z.output<Row> | undefined> {
  const [first] = await selectRows(manager, sql, params, row);
  return first;
}

/** A query answered with rows that do not match its schema: a bug in payrisk (or a migration it lacks), never user input. */
export class RowShapeError extends Error {
  constructor(sql: string, error: z.ZodError) {
    super(`rows of "${sql.trim().split('\n')[0].slice(0, 120)}" do not match their schema: ${z.prettifyError(error)}`);
    this.name = 'RowShapeError';
  }
}

/** `[rows, affectedCount]`: a select's rows are objects, never arrays, so this cannot be mistaken for one. */
function isWriteResult(raw: unknown): raw is [unknown[], number] {
  return Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number';
}

/**
 * Column shapes as node-postgres returns them: `bigint` and `numeric` as text (money stays
 * exact until `money()` reads it), `timestamptz` as Date, `jsonb` as parsed JSON, `char(3)`
 * currencies padded (trim them where they are used).
 */
export const column = {
  text: z.string(),
  bigint: z.string().regex(/^-?\d+$/),
  numeric: z.string().regex(/^-?\d+(\.\d+)?$/),
  int: z.number().int(),
  number: z.number(),
  boolean: z.boolean(),
  timestamp: z.date(),
  json: z.record(z.string(), z.unknown()),
  textArray: z.array(z.string()),
};
