import { sqlDaysPastDue, sqlWholeDaysBetween } from '../../common/time';
import type { ReportDefinition } from './sql-runner';
import { LEAD_COLUMNS } from './sql-runner';

/**
 * Payment behaviour for invoices due in the period (not voided by as-of), as known at as-of:
 * - days late (architecture.md "Words", `daysLate` in risk/domain): paid by as-of → whole days from due to
 *   paid; still unpaid → whole days from due to the end of as-of; never below 0. The SQL is
 *   common/time's mirror (`sqlDaysPastDue`), so the report and detection count the same days.
 * - on time = paid within `graceDays` of the due date; late = days late > `graceDays` (paid or
 *   not); on-time share = on time ÷ (on time + late), so invoices still inside their grace
 *   days are not judged yet.
 * - days to pay = whole days from finalization to payment; the trend compares invoices due in
 *   the second half of the period with the first (positive = paying slower).
 * - level and flags: the client's latest risk assessment made by the end of as-of.
 */
export const behaviourReport: ReportDefinition = {
  title: 'Payment behaviour',
  columns: [
    ...LEAD_COLUMNS,
    { key: 'invoices_due', header: 'Invoices due', type: 'count' },
    { key: 'paid', header: 'Paid', type: 'count' },
    { key: 'on_time', header: 'On time', type: 'count' },
    { key: 'late', header: 'Late', type: 'count' },
    { key: 'unpaid', header: 'Unpaid', type: 'count' },
    { key: 'on_time_share', header: 'On-time share', type: 'share' },
    { key: 'avg_days_late', header: 'Avg days late', type: 'days' },
    { key: 'median_days_late', header: 'Median days late', type: 'days' },
    { key: 'avg_days_to_pay', header: 'Avg days to pay', type: 'days' },
    { key: 'days_to_pay_first_half', header: 'Days to pay (1st half)', type: 'days' },
    { key: 'days_to_pay_second_half', header: 'Days to pay (2nd half)', type: 'days' },
    { key: 'days_to_pay_trend', header: 'Days-to-pay trend', type: 'days' },
    { key: 'amount_due', header: 'Amount due', type: 'money' },
    { key: 'level', header: 'Level', type: 'text' },
    { key: 'flags', header: 'Flags', type: 'text' },
  ],
  query: (run, bounds, settings) =>
    run(
      `WITH due AS (
         SELECT i.client_id, i.currency, i.amount_due, i.due_at,
                coalesce(i.paid_at < $3::timestamptz, false) AS paid,
                ${sqlDaysPastDue('i.due_at', 'CASE WHEN i.paid_at < $3::timestamptz THEN i.paid_at ELSE $3::timestamptz END')} AS days_late,
                CASE WHEN i.paid_at < $3::timestamptz
                     THEN ${sqlWholeDaysBetween('coalesce(i.finalized_at, i.stripe_created_at)', 'i.paid_at')} END AS days_to_pay
           FROM invoices i
          WHERE i.status <> 'draft'
            AND i.due_at >= $1::timestamptz AND i.due_at < $2::timestamptz
            AND coalesce(i.finalized_at, i.stripe_created_at) < $3::timestamptz
            AND (i.voided_at IS NULL OR i.voided_at >= $3::timestamptz)),
       grouped AS (
         SELECT grouping(d.client_id) = 1 AS is_total, d.client_id, d.currency,
                count(*) AS invoices_due,
                count(*) FILTER (WHERE d.paid) AS paid,
                count(*) FILTER (WHERE d.paid AND d.days_late <= $5::int) AS on_time,
                count(*) FILTER (WHERE d.days_late > $5::int) AS late,
                count(*) FILTER (WHERE NOT d.paid) AS unpaid,
                avg(d.days_late) AS avg_days_late,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY d.days_late) AS median_days_late,
                avg(d.days_to_pay) AS avg_days_to_pay,
                avg(d.days_to_pay) FILTER (WHERE d.due_at < $4::timestamptz) AS first_half,
                avg(d.days_to_pay) FILTER (WHERE d.due_at >= $4::timestamptz) AS second_half,
                sum(d.amount_due)::bigint AS amount_due
           FROM due d
          GROUP BY GROUPING SETS ((d.currency, d.client_id), (d.currency)))
       SELECT CASE WHEN g.is_total THEN 'total' ELSE 'client' END AS row_type,
              g.client_id, c.name AS client_name, g.currency,
              g.invoices_due, g.paid, g.on_time, g.late, g.unpaid,
              round(g.on_time::numeric / nullif(g.on_time + g.late, 0), 4) AS on_time_share,
              round(g.avg_days_late, 1) AS avg_days_late,
              round(g.median_days_late::numeric, 1) AS median_days_late,
              round(g.avg_days_to_pay, 1) AS avg_days_to_pay,
              round(g.first_half, 1) AS days_to_pay_first_half,
              round(g.second_half, 1) AS days_to_pay_second_half,
              round(g.second_half - g.first_half, 1) AS days_to_pay_trend,
              g.amount_due,
              latest.level,
              nullif(array_to_string(latest.flags, ', '), '') AS flags
         FROM grouped g
         LEFT JOIN clients c ON c.id = g.client_id
         LEFT JOIN LATERAL (
           SELECT a.level, a.flags FROM risk_assessments a
            WHERE a.client_id = g.client_id AND a.assessed_at < $3::timestamptz
            ORDER BY a.assessed_at DESC, a.id
            LIMIT 1) latest ON true
        ORDER BY g.currency, g.is_total, c.name, g.client_id`,
      [bounds.fromStart, bounds.toEnd, bounds.asOfEnd, bounds.secondHalfStart, settings.graceDays],
    ),
};
