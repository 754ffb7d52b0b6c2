import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { RISK_FLAGS, RISK_LEVELS } from '../../common/vocabulary';
import { column, selectOne, selectRows } from '../../database/select-rows';
import type { ClientListQuery, ClientPage, ClientRow } from '../http/dashboard.schemas';

/** Sortable columns → SQL (never user text): each over client_risk_latest's plain columns. */
const SORT_SQL: Record<ClientListQuery['sort'], string> = {
  name: 'lower(c.name)',
  level: 'l.level_rank',
  score: 'l.score',
  arrears: 'l.arrears_sort',
  oldestDaysPastDue: 'l.oldest_days_past_due',
  lateShare: 'l.late_share',
  medianDaysLate: 'l.median_days_late',
  discountShare: 'l.discount_share',
  workStatus: 'c.work_status',
};

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/**
 * One page of the clients table: filter (level, flag, name/email/id), sort by any column,
 * offset pagination. Works on client_risk_latest (one row per client, kept by a trigger),
 * so 50,000 clients cost a filtered top-N sort, not a scan of the assessment history;
 * the reasons in words are fetched for the page's rows only.
 */
export async function loadClientPage(manager: EntityManager, query: ClientListQuery): Promise<ClientPage> {
  const where = [
    `($1::text IS NULL OR l.level = $1)`,
    `($2::text IS NULL OR l.flags @> ARRAY[$2::text])`,
    `($3::text IS NULL OR c.name ILIKE $3 OR c.email ILIKE $3 OR c.id = $4)`,
  ];
  const params = [query.level ?? null, query.flag ?? null, query.q ? likePattern(query.q.trim()) : null, query.q?.trim() ?? null];
  const dir = query.dir === 'asc' ? 'ASC' : 'DESC';
  const order = `${SORT_SQL[query.sort]} ${dir} NULLS LAST, l.client_id ${dir}`;
  const offset = (query.page - 1) * query.pageSize;
  const [rows, count] = await Promise.all([
    selectRows(
      manager,
      `SELECT p.*, a.reasons FROM (
         SELECT l.client_id, l.assessment_id, l.assessed_at, l.score, l.level, l.level_rank, l.flags, l.arrears, l.arrears_sort, l.oldest_days_past_due,
                l.late_share, l.median_days_late, l.discount_share, c.name, c.email, c.work_status
           FROM client_risk_latest l JOIN clients c ON c.id = l.client_id
          WHERE ${where.join(' AND ')}
          ORDER BY ${order}
          LIMIT $5 OFFSET $6) p
       JOIN risk_assessments a ON a.id = p.assessment_id
       ORDER BY ${order.replace(/\b[lc]\./g, 'p.')}`,
      [...params, query.pageSize, offset],
      listedClient,
    ),
    selectOne(
      manager,
      `SELECT count(*)::int AS n FROM client_risk_latest l JOIN clients c ON c.id = l.client_id WHERE ${where.join(' AND ')}`,
      params,
      z.object({ n: column.int }),
    ),
  ]);
  return { total: count?.n ?? 0, page: query.page, pageSize: query.pageSize, rows: rows.map(toRow) };
}

/** A page row: client_risk_latest's columns (numeric as text), the client's name, email and work status, the assessment's reasons. */
const listedClient = z.object({
  client_id: column.text,
  assessment_id: column.text,
  assessed_at: column.timestamp,
  score: column.int,
  level: z.enum(RISK_LEVELS),
  level_rank: column.int,
  flags: z.array(z.enum(RISK_FLAGS)),
  arrears: z.array(z.object({ amount: column.int, currency: column.text })),
  arrears_sort: column.bigint,
  oldest_days_past_due: column.int,
  late_share: column.numeric,
  median_days_late: column.numeric,
  discount_share: column.numeric,
  name: column.text.nullable(),
  email: column.text.nullable(),
  work_status: z.enum(['active', 'paused']),
  reasons: z.record(z.string(), z.string()).nullable(),
});

function toRow(row: z.output<typeof listedClient>): ClientRow {
  return {
    customerId: row.client_id,
    name: row.name ?? undefined,
    email: row.email ?? undefined,
    level: row.level,
    score: row.score,
    flags: row.flags,
    reasons: row.reasons ?? {},
    arrears: row.arrears,
    oldestDaysPastDue: row.oldest_days_past_due,
    lateShare: Number(row.late_share),
    medianDaysLate: Number(row.median_days_late),
    discountShare: Number(row.discount_share),
    workStatus: row.work_status,
    assessedAt: row.assessed_at.toISOString(),
  };
}
