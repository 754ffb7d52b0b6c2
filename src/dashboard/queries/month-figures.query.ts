import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectRows } from '../../database/select-rows';
import { billedAtFinalization, openInvoicesAsOf } from '../../reports/queries/open-invoices-as-of.sql';

/**
 * The reports' own "open at D" (src/reports/queries/open-invoices-as-of.sql.ts), word for word,
 * plus a predicate it implies — closed (paid, voided or written off, whichever came first) at
 * or after D, or never — that lets PostgreSQL read `invoices_closed_at_idx` instead of the
 * whole ledger. (`least` skips NULLs, so this is exactly "each of the three is NULL or ≥ D".)
 */
export function openInvoicesAsOfIndexed(end: string): string {
  const anchor = `WHERE i.status <> 'draft'`;
  const sql = openInvoicesAsOf(end);
  if (sql.split(anchor).length !== 2) throw new Error('openInvoicesAsOf changed shape: update openInvoicesAsOfIndexed');
  const closed = 'least(i.paid_at, i.voided_at, i.marked_uncollectible_at)';
  return sql.replace(anchor, `WHERE (${closed} IS NULL OR ${closed} >= ${end}) AND i.status <> 'draft'`);
}

export interface MonthFigure {
  currency: string;
  receivables: number;
  billed: number;
}

/** One currency's figures (a handful of rows per month: checked like any small read). */
const figureRow = z.object({ currency: column.text, receivables: column.bigint, billed: column.bigint });

/**
 * Receivables at `end` and billed in [`start`, `end`), per currency, exactly as the DSO report's
 * total rows compute them (`GET /api/reports/dso?from=…&to=…`): open amounts > 0 at the end;
 * what invoices finalized in the period asked at finalization, unless voided by the end.
 */
export async function computeMonthFigures(manager: EntityManager, start: string, end: string): Promise<MonthFigure[]> {
  const rows = await selectRows(
    manager,
    `SELECT currency, sum(receivables)::bigint AS receivables, sum(billed)::bigint AS billed FROM (
       SELECT o.currency, o.open_amount AS receivables, 0 AS billed
         FROM (${openInvoicesAsOfIndexed('$2::timestamptz')}) o WHERE o.open_amount > 0
       UNION ALL
       SELECT b.currency, 0, b.billed
         FROM (${billedAtFinalization}) b
        WHERE b.finalized_at >= $1::timestamptz AND b.finalized_at < $2::timestamptz AND (b.voided_at IS NULL OR b.voided_at >= $2::timestamptz)) x
      GROUP BY currency ORDER BY currency`,
    [start, end],
    figureRow,
  );
  return rows.map((row) => ({ currency: row.currency, receivables: Number(row.receivables), billed: Number(row.billed) }));
}

/** `YYYY-MM-01` of a month, and the first instant of the next one. */
const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
};

/**
 * Figures of past (closed) months from `dashboard_months` / `dashboard_month_figures`, computing
 * the months that are missing or marked stale by the ledger triggers (migration
 * 1764210000000-dashboard-months). Months are `YYYY-MM-01`.
 *
 * Order matters for never missing a ledger write: mark the months fresh under a lock that waits
 * for every transaction whose trigger already touched `dashboard_months`, then compute from a
 * later snapshot; a write after that marks the month stale again and the next read recomputes.
 */
export async function loadPastMonthFigures(manager: EntityManager, months: string[]): Promise<Map<string, MonthFigure[]>> {
  const result = new Map<string, MonthFigure[]>(months.map((month) => [month, []]));
  const fresh = await selectRows(
    manager,
    `SELECT to_char(month, 'YYYY-MM-DD') AS month FROM dashboard_months WHERE fresh AND month = ANY($1::date[])`,
    [months],
    z.object({ month: column.text }),
  );
  const freshMonths = fresh.map((row) => row.month);
  const stale = months.filter((month) => !freshMonths.includes(month));
  if (stale.length > 0) {
    await manager.transaction(async (tx) => {
      await tx.query(`LOCK TABLE dashboard_months IN SHARE ROW EXCLUSIVE MODE`);
      await tx.query(
        `INSERT INTO dashboard_months (month, fresh, computed_at) SELECT m, true, now() FROM unnest($1::date[]) m
         ON CONFLICT (month) DO UPDATE SET fresh = true, computed_at = now()`,
        [stale],
      );
    });
    for (const month of stale) {
      const figures = await computeMonthFigures(manager, `${month}T00:00:00.000Z`, `${nextMonth(month)}T00:00:00.000Z`);
      await manager.query(
        `WITH gone AS (DELETE FROM dashboard_month_figures WHERE month = $1::date AND currency <> ALL($2::text[]))
         INSERT INTO dashboard_month_figures (month, currency, receivables, billed)
         SELECT $1::date, f.currency, f.receivables, f.billed FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS f(currency, receivables, billed)
         ON CONFLICT (month, currency) DO UPDATE SET receivables = excluded.receivables, billed = excluded.billed`,
        [month, figures.map((f) => f.currency), figures.map((f) => f.receivables), figures.map((f) => f.billed)],
      );
      result.set(month, figures);
    }
  }
  if (freshMonths.length > 0) {
    const rows = await selectRows(
      manager,
      `SELECT to_char(month, 'YYYY-MM-DD') AS month, currency, receivables, billed
       FROM dashboard_month_figures WHERE month = ANY($1::date[]) ORDER BY month, currency`,
      [freshMonths],
      figureRow.extend({ month: column.text }),
    );
    for (const row of rows) result.get(row.month)?.push({ currency: row.currency.trim(), receivables: Number(row.receivables), billed: Number(row.billed) });
  }
  return result;
}
