import type { ReportDefinition } from './sql-runner';
import { LEAD_COLUMNS } from './sql-runner';
import { openInvoicesAsOf } from './open-invoices-as-of.sql';

/**
 * Aging as of a day: the open amount of every invoice open then, by days past due on that day
 * (as-of date minus due date, in UTC days): current (not yet past due), 1–30, 31–60, 61–90,
 * over 90. One row per client and currency, then one total row per currency.
 * Calendar days on purpose, not common/time's whole days to a moment: an aging is read as of a
 * date, and an accountant's aging puts an invoice due on the as-of date in "current".
 */
export const agingReport: ReportDefinition = {
  title: 'Aging',
  columns: [
    ...LEAD_COLUMNS,
    { key: 'invoices', header: 'Open invoices', type: 'count' },
    { key: 'current', header: 'Current', type: 'money' },
    { key: 'days_1_30', header: '1–30 days', type: 'money' },
    { key: 'days_31_60', header: '31–60 days', type: 'money' },
    { key: 'days_61_90', header: '61–90 days', type: 'money' },
    { key: 'days_over_90', header: '90+ days', type: 'money' },
    { key: 'total', header: 'Total open', type: 'money' },
    { key: 'oldest_days_past_due', header: 'Oldest (days past due)', type: 'count' },
  ],
  query: (run, bounds) =>
    run(
      `WITH open_then AS (${openInvoicesAsOf('$2::timestamptz')}),
       aged AS (
         SELECT o.client_id, o.currency, o.open_amount, $1::date - (o.due_at AT TIME ZONE 'UTC')::date AS days
           FROM open_then o
          WHERE o.open_amount > 0)
       SELECT CASE WHEN grouping(a.client_id) = 1 THEN 'total' ELSE 'client' END AS row_type,
              a.client_id,
              CASE WHEN grouping(a.client_id) = 0 THEN max(c.name) END AS client_name,
              a.currency,
              count(*) AS invoices,
              coalesce(sum(a.open_amount) FILTER (WHERE a.days <= 0), 0)::bigint AS current,
              coalesce(sum(a.open_amount) FILTER (WHERE a.days BETWEEN 1 AND 30), 0)::bigint AS days_1_30,
              coalesce(sum(a.open_amount) FILTER (WHERE a.days BETWEEN 31 AND 60), 0)::bigint AS days_31_60,
              coalesce(sum(a.open_amount) FILTER (WHERE a.days BETWEEN 61 AND 90), 0)::bigint AS days_61_90,
              coalesce(sum(a.open_amount) FILTER (WHERE a.days > 90), 0)::bigint AS days_over_90,
              sum(a.open_amount)::bigint AS total,
              greatest(max(a.days), 0) AS oldest_days_past_due
         FROM aged a
         LEFT JOIN clients c ON c.id = a.client_id
        GROUP BY GROUPING SETS ((a.currency, a.client_id), (a.currency))
        ORDER BY a.currency, grouping(a.client_id), client_name, a.client_id`,
      [bounds.asOf, bounds.asOfEnd],
    ),
};
