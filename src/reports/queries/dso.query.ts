import type { ReportDefinition } from './sql-runner';
import { LEAD_COLUMNS } from './sql-runner';
import { billedAtFinalization, openInvoicesAsOf } from './open-invoices-as-of.sql';

/** How far the countback may reach; receivables older than this show the cap. */
export const COUNTBACK_MONTHS = 36;

/**
 * DSO for a period, everything as it stood at the end of the period (`to`):
 * - receivables: open amounts at the end of `to` (as in aging);
 * - billed: what invoices finalized in the period asked at finalization, unless voided by `to`;
 * - standard: receivables ÷ billed × days in the period;
 * - countback: walk back through calendar months from `to` (the newest counted up to `to`),
 *   taking each month's billing off the receivables; every month fully used adds its days,
 *   the month where receivables run out adds its share of days. Capped at 36 months.
 * One row per client and currency (with receivables or billing), then the currency total.
 *
 * Why the walk stays small: an open invoice never owes more than it billed, so a client's
 * receivables are used up by the month of its oldest open invoice at the latest; months
 * before it are never read. Months without billing add their days without a row.
 */
export const dsoReport: ReportDefinition = {
  title: 'DSO',
  columns: [
    ...LEAD_COLUMNS,
    { key: 'receivables', header: 'Receivables at end', type: 'money' },
    { key: 'billed', header: 'Billed in period', type: 'money' },
    { key: 'period_days', header: 'Days in period', type: 'count' },
    { key: 'dso_standard', header: 'DSO (standard)', type: 'days' },
    { key: 'dso_countback', header: 'DSO (countback)', type: 'days' },
  ],
  query: (run, bounds) =>
    run(
      `WITH horizon AS (
         SELECT (date_trunc('month', $3::timestamp) - interval '${COUNTBACK_MONTHS - 1} months')::date AS first_month, $3::date + 1 AS end_day),
       open_then AS MATERIALIZED (
         SELECT * FROM (${openInvoicesAsOf('$2::timestamptz')}) o WHERE o.open_amount > 0),
       receivables AS (
         SELECT coalesce(o.client_id, '') AS ck, o.client_id, o.currency, sum(o.open_amount) AS ar,
                greatest(date_trunc('month', min(o.finalized_at) AT TIME ZONE 'UTC')::date, (SELECT first_month FROM horizon)) AS walk_from
           FROM open_then o
          GROUP BY GROUPING SETS ((o.currency, o.client_id), (o.currency))),
       billed_in_period AS (
         SELECT coalesce(b.client_id, '') AS ck, b.currency, sum(b.billed) AS billed
           FROM (${billedAtFinalization}) b
          WHERE b.finalized_at >= $1::timestamptz AND b.finalized_at < $2::timestamptz AND (b.voided_at IS NULL OR b.voided_at >= $2::timestamptz)
          GROUP BY GROUPING SETS ((b.currency, b.client_id), (b.currency))),
       billed_by_month AS (
         SELECT r.ck, b.currency, date_trunc('month', b.finalized_at AT TIME ZONE 'UTC')::date AS month, sum(b.billed) AS billed
           FROM (${billedAtFinalization}) b
           JOIN receivables r ON r.client_id = b.client_id AND r.currency = b.currency
          WHERE b.finalized_at >= (r.walk_from::timestamp AT TIME ZONE 'UTC') AND b.finalized_at < $2::timestamptz
              AND (b.voided_at IS NULL OR b.voided_at >= $2::timestamptz)
          GROUP BY 1, 2, 3
         UNION ALL
         SELECT '', b.currency, date_trunc('month', b.finalized_at AT TIME ZONE 'UTC')::date, sum(b.billed)
           FROM (${billedAtFinalization}) b
          WHERE b.finalized_at >= ((SELECT first_month FROM horizon)::timestamp AT TIME ZONE 'UTC') AND b.finalized_at < $2::timestamptz
            AND (b.voided_at IS NULL OR b.voided_at >= $2::timestamptz)
          GROUP BY 1, 2, 3),
       walk AS (
         SELECT m.ck, m.currency, r.ar, m.month, m.billed,
                least((m.month + interval '1 month')::date, h.end_day) - m.month AS days,
                h.end_day - least((m.month + interval '1 month')::date, h.end_day) AS newer_days,
                sum(m.billed) OVER (PARTITION BY m.ck, m.currency ORDER BY m.month DESC) AS cum_billed
           FROM billed_by_month m
           JOIN receivables r ON r.ck = m.ck AND r.currency = m.currency
          CROSS JOIN horizon h),
       countback AS (
         SELECT DISTINCT ON (ck, currency) ck, currency, newer_days + (ar - (cum_billed - billed)) * days / billed AS dso
           FROM walk
          WHERE cum_billed >= ar
          ORDER BY ck, currency, month DESC),
       keys AS (SELECT ck, currency FROM receivables UNION SELECT ck, currency FROM billed_in_period)
       SELECT CASE WHEN k.ck = '' THEN 'total' ELSE 'client' END AS row_type,
              nullif(k.ck, '') AS client_id, c.name AS client_name, k.currency,
              coalesce(r.ar, 0)::bigint AS receivables,
              coalesce(b.billed, 0)::bigint AS billed,
              $4::int AS period_days,
              round(coalesce(r.ar, 0) * $4::int / nullif(b.billed, 0), 1) AS dso_standard,
              -- Not used up within the horizon: all of it, from the first month counted.
              round(CASE WHEN r.ar IS NULL THEN 0 ELSE coalesce(cb.dso, (SELECT end_day - first_month FROM horizon)) END, 1) AS dso_countback
         FROM keys k
         LEFT JOIN receivables r ON r.ck = k.ck AND r.currency = k.currency
         LEFT JOIN billed_in_period b ON b.ck = k.ck AND b.currency = k.currency
         LEFT JOIN countback cb ON cb.ck = k.ck AND cb.currency = k.currency
         LEFT JOIN clients c ON c.id = k.ck
        ORDER BY k.currency, k.ck = '', c.name, k.ck`,
      [bounds.fromStart, bounds.toEnd, bounds.to, bounds.periodDays],
    ),
};
