import { DAY_MS } from '../../common/time';
import { RISK_LEVELS, RISK_LEVELS_WORST_FIRST, sqlLevelRank } from '../../common/vocabulary';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectOne, selectRows } from '../../database/select-rows';
import { addDays, daysInclusive, startOfDay, todayUtc } from '../../reports/domain/report-period';
import type { Overview } from '../http/dashboard.schemas';
import { computeMonthFigures, loadPastMonthFigures, openInvoicesAsOfIndexed } from './month-figures.query';

export const EXPECTED_PAYMENT_DAYS = 14;

const iso = (value: Date | string | null): string | undefined => (value === null ? undefined : new Date(value).toISOString());
const day = (date: Date) => date.toISOString().slice(0, 10);
/** Midnight UTC of the first day of the month `back` months before `now`'s month. */
const monthStart = (now: Date, back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));

/**
 * The overview page in a handful of set-based statements: receivables and aging from open
 * invoices as the aging report sees them, DSO per month as the DSO report computes it, levels and movers from
 * client_risk_latest, expected payments from the latest predictions still open.
 */
export async function loadOverview(manager: EntityManager, now: Date): Promise<Overview> {
  const [receivables, aging, dso, levels, movers, pending, paused, expected, sync] = await Promise.all([
    selectRows(
      manager,
      `SELECT currency, sum(amount_remaining)::bigint AS outstanding, coalesce(sum(amount_remaining) FILTER (WHERE due_at < $1), 0)::bigint AS overdue,
       count(*)::int AS n
         FROM invoices WHERE status = 'open' AND amount_remaining > 0 GROUP BY currency ORDER BY currency`,
      [now],
      z.object({ currency: column.text, outstanding: column.bigint, overdue: column.bigint, n: column.int }),
    ),
    selectRows(
      manager,
      `SELECT o.currency,
              coalesce(sum(o.open_amount) FILTER (WHERE o.days <= 0), 0)::bigint AS current,
              coalesce(sum(o.open_amount) FILTER (WHERE o.days BETWEEN 1 AND 30), 0)::bigint AS d1_30,
              coalesce(sum(o.open_amount) FILTER (WHERE o.days BETWEEN 31 AND 60), 0)::bigint AS d31_60,
              coalesce(sum(o.open_amount) FILTER (WHERE o.days BETWEEN 61 AND 90), 0)::bigint AS d61_90,
              coalesce(sum(o.open_amount) FILTER (WHERE o.days > 90), 0)::bigint AS d90plus
         FROM (SELECT a.currency, a.open_amount, $1::date - (a.due_at AT TIME ZONE 'UTC')::date AS days
                 FROM (${openInvoicesAsOfIndexed('$2::timestamptz')}) a WHERE a.open_amount > 0) o
        GROUP BY o.currency ORDER BY o.currency`,
      [todayUtc(now), startOfDay(addDays(todayUtc(now), 1))],
      z.object({ currency: column.text, current: column.bigint, d1_30: column.bigint, d31_60: column.bigint, d61_90: column.bigint, d90plus: column.bigint }),
    ),
    loadDso(manager, now),
    selectRows(manager, `SELECT level, count(*)::int AS count FROM client_risk_latest GROUP BY level`, [], z.object({ level: column.text, count: column.int })),
    selectRows(
      manager,
      `SELECT l.client_id, c.name, l.previous_level, l.level, l.score, l.level_changed_at
         FROM client_risk_latest l JOIN clients c ON c.id = l.client_id
        WHERE l.level_changed_at >= $1 AND l.previous_level IS NOT NULL
        ORDER BY abs(l.level_rank - ${sqlLevelRank('l.previous_level')}) DESC, l.score DESC, l.client_id
        LIMIT 20`,
      [new Date(now.getTime() - 7 * DAY_MS)],
      moverRow,
    ),
    selectOne(manager, `SELECT count(*)::int AS n FROM actions WHERE status = 'proposed'`, [], z.object({ n: column.int })),
    selectRows(
      manager,
      `SELECT id, name, count(*) OVER ()::int AS total FROM clients WHERE work_status = 'paused' ORDER BY name NULLS LAST, id LIMIT 20`,
      [],
      z.object({ id: column.text, name: column.text.nullable(), total: column.int }),
    ),
    selectRows(
      manager,
      `SELECT l.client_id, c.name, p->>'invoiceId' AS invoice_id, i.number, (p->'amount'->>'amount')::bigint AS amount, p->'amount'->>'currency' AS currency,
              p->>'dueDate' AS due_date, p->>'expectedDate' AS expected_date, p->>'earliest' AS earliest, p->>'latest' AS latest
         FROM client_risk_latest l
         CROSS JOIN LATERAL jsonb_array_elements(l.predictions) p
         JOIN invoices i ON i.id = p->>'invoiceId' AND i.status = 'open'
         JOIN clients c ON c.id = l.client_id
        WHERE jsonb_array_length(l.predictions) > 0 AND p->>'expectedDate' >= $1 AND p->>'expectedDate' <= $2
        ORDER BY p->>'expectedDate', l.client_id, p->>'invoiceId'`,
      [day(now), day(new Date(now.getTime() + EXPECTED_PAYMENT_DAYS * DAY_MS))],
      expectedRow,
    ),
    selectOne(
      manager,
      `SELECT (SELECT max(updated_at) FROM sync_cursors) AS last_sync, (SELECT max(received_at) FROM processed_events) AS last_event`,
      [],
      z.object({ last_sync: column.timestamp.nullable(), last_event: column.timestamp.nullable() }),
    ),
  ]);

  const totals = new Map<string, { amount: number; invoices: number }>();
  for (const row of expected) {
    const sum = totals.get(row.currency) ?? { amount: 0, invoices: 0 };
    sum.amount += Number(row.amount);
    sum.invoices += 1;
    totals.set(row.currency, sum);
  }
  const counts = new Map(levels.map((row) => [row.level, row.count]));
  return {
    asOf: now.toISOString(),
    receivables: receivables.map((row) => ({
      currency: row.currency,
      outstanding: Number(row.outstanding),
      overdue: Number(row.overdue),
      openInvoices: row.n,
    })),
    aging: aging.map((row) => ({
      currency: row.currency,
      current: Number(row.current),
      d1_30: Number(row.d1_30),
      d31_60: Number(row.d31_60),
      d61_90: Number(row.d61_90),
      d90plus: Number(row.d90plus),
    })),
    dso,
    levels: RISK_LEVELS_WORST_FIRST.map((level) => ({ level, count: counts.get(level) ?? 0 })),
    movers: movers.map((row) => ({
      customerId: row.client_id,
      name: row.name ?? undefined,
      from: row.previous_level,
      to: row.level,
      score: row.score,
      changedAt: row.level_changed_at.toISOString(),
    })),
    pendingApprovals: pending?.n ?? 0,
    paused: { count: paused[0]?.total ?? 0, clients: paused.map((row) => ({ customerId: row.id, name: row.name ?? undefined })) },
    expectedPayments: {
      days: EXPECTED_PAYMENT_DAYS,
      totals: [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, sum]) => ({ currency, ...sum })),
      invoices: expected.slice(0, 50).map((row) => ({
        customerId: row.client_id,
        name: row.name ?? undefined,
        invoiceId: row.invoice_id,
        number: row.number ?? undefined,
        amount: { amount: Number(row.amount), currency: row.currency },
        dueDate: row.due_date,
        expectedDate: row.expected_date,
        earliest: row.earliest,
        latest: row.latest,
      })),
    },
    lastSyncAt: iso(sync?.last_sync ?? null),
    lastEventAt: iso(sync?.last_event ?? null),
  };
}

/** A client whose level moved this week (client_risk_latest keeps the previous level). */
const moverRow = z.object({
  client_id: column.text,
  name: column.text.nullable(),
  previous_level: z.enum(RISK_LEVELS),
  level: z.enum(RISK_LEVELS),
  score: column.int,
  level_changed_at: column.timestamp,
});

/** An open invoice's predicted payment, taken from the latest assessment's predictions (jsonb, read as text). */
const expectedRow = z.object({
  client_id: column.text,
  name: column.text.nullable(),
  invoice_id: column.text,
  number: column.text.nullable(),
  amount: column.bigint,
  currency: column.text,
  due_date: column.text,
  expected_date: column.text,
  earliest: column.text,
  latest: column.text,
});

/**
 * DSO for each of the last 12 months (the current one to date), per currency: for each month
 * exactly the total row of `GET /api/reports/dso?from=<1st>&to=<last day, or today>` —
 * receivables at the end (open amounts then), billed in the month (at finalization, unless
 * voided by the end), standard DSO = receivables ÷ billed × days, rounded to 0.1.
 * Past months come precomputed from dashboard_month_figures (recomputed when the ledger
 * triggers mark them stale); the current month is two index ranges of the ledger.
 */
/** The overview's 12 months as `YYYY-MM-01`, oldest first; the last is the current one. */
export const overviewMonths = (now: Date): string[] =>
  Array.from({ length: 12 }, (_, i) =>
    monthStart(now, 11 - i)
      .toISOString()
      .slice(0, 10),
  );

async function loadDso(manager: EntityManager, now: Date): Promise<Overview['dso']> {
  const today = todayUtc(now);
  const months = overviewMonths(now);
  const current = months[months.length - 1];
  const [past, live] = await Promise.all([
    loadPastMonthFigures(manager, months.slice(0, -1)),
    computeMonthFigures(manager, startOfDay(current), startOfDay(addDays(today, 1))),
  ]);
  const byMonth = new Map([...past.entries(), [current, live]]);
  const currencies = [...new Set([...byMonth.values()].flatMap((figures) => figures.map((f) => f.currency)))].sort((a, b) => a.localeCompare(b));
  const result: Overview['dso'] = [];
  for (const currency of currencies) {
    for (const month of months) {
      const figure = byMonth.get(month)?.find((f) => f.currency === currency) ?? { receivables: 0, billed: 0 };
      const last =
        month === current
          ? today
          : addDays(
              monthStart(new Date(startOfDay(month)), -1)
                .toISOString()
                .slice(0, 10),
              -1,
            );
      const days = daysInclusive(month, last);
      result.push({
        month: month.slice(0, 7),
        currency,
        billed: figure.billed,
        outstanding: figure.receivables,
        // round(receivables × days ÷ billed, 1) as the report's numeric round does (half away from zero).
        dso: figure.billed > 0 ? Math.round((figure.receivables * days * 10) / figure.billed) / 10 : undefined,
      });
    }
  }
  return result;
}
