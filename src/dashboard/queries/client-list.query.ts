import type { EntityManager } from 'typeorm';
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
    manager.query(
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
    ) as Promise<Record<string, unknown>[]>,
    manager.query(`SELECT count(*)::int AS n FROM client_risk_latest l JOIN clients c ON c.id = l.client_id WHERE ${where.join(' AND ')}`, params) as Promise<
      { n: number }[]
    >,
  ]);
  return { total: count[0]?.n ?? 0, page: query.page, pageSize: query.pageSize, rows: rows.map(toRow) };
}

function toRow(row: Record<string, unknown>): ClientRow {
  return {
    customerId: row.client_id as string,
    name: (row.name as string | null) ?? undefined,
    email: (row.email as string | null) ?? undefined,
    level: row.level as ClientRow['level'],
    score: row.score as number,
    flags: row.flags as ClientRow['flags'],
    reasons: (row.reasons ?? {}) as Record<string, string>,
    arrears: row.arrears as ClientRow['arrears'],
    oldestDaysPastDue: row.oldest_days_past_due as number,
    lateShare: Number(row.late_share),
    medianDaysLate: Number(row.median_days_late),
    discountShare: Number(row.discount_share),
    workStatus: row.work_status as ClientRow['workStatus'],
    assessedAt: new Date(row.assessed_at as Date).toISOString(),
  };
}
