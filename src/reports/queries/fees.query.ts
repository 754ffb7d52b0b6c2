import { feeEventsSql } from '../../policies/persistence/fees-events.sql';
import type { ReportDefinition } from './sql-runner';
import { LEAD_COLUMNS } from './sql-runner';

/** A line shows its fee only for what happened in the period; subtotals and totals add the lines (0 when none). */
const amountIn = (event: string) =>
  `CASE WHEN grouping(l.fee_id) = 0 THEN sum(l.amount) FILTER (WHERE l.${event}_in IS NOT NULL)
        ELSE coalesce(sum(l.amount) FILTER (WHERE l.${event}_in IS NOT NULL), 0) END::bigint AS ${event}`;

const dashboardInvoiceUrl = (id: string) =>
  `CASE WHEN ${id} IS NOT NULL THEN 'https://dashboard.stripe.com/' || CASE WHEN bool_or(c.livemode) THEN '' ELSE 'test/' END || 'invoices/' || ${id} END`;

/**
 * The late-fee ledger: one line per fee with something in the period, a subtotal per client
 * and a total per currency (amounts add up: a subtotal is the sum of its lines).
 * - proposed: `proposed_at`; applied, waived, collected and status: see feeEventsSql (the same
 *   definition the weekly digest uses).
 */
export const feesReport: ReportDefinition = {
  title: 'Late fees',
  columns: [
    ...LEAD_COLUMNS,
    { key: 'fee_id', header: 'Fee (action)', type: 'text' },
    { key: 'overdue_invoice', header: 'Overdue invoice', type: 'text' },
    { key: 'status', header: 'Status', type: 'text' },
    { key: 'fees', header: 'Fees', type: 'count' },
    { key: 'proposed', header: 'Proposed', type: 'money' },
    { key: 'proposed_on', header: 'Proposed on', type: 'date' },
    { key: 'applied', header: 'Applied', type: 'money' },
    { key: 'applied_on', header: 'Applied on', type: 'date' },
    { key: 'collected', header: 'Collected', type: 'money' },
    { key: 'collected_on', header: 'Collected on', type: 'date' },
    { key: 'waived', header: 'Waived', type: 'money' },
    { key: 'waived_on', header: 'Waived on', type: 'date' },
    { key: 'invoice_item', header: 'Stripe invoice item', type: 'text' },
    { key: 'fee_invoice', header: 'Stripe invoice with the fee', type: 'text' },
    { key: 'waiver', header: 'Stripe waiver (credit note, voided invoice or deleted item)', type: 'text' },
    { key: 'fee_invoice_url', header: 'Invoice with the fee (Stripe)', type: 'url' },
    { key: 'overdue_invoice_url', header: 'Overdue invoice (Stripe)', type: 'url' },
  ],
  query: (run, bounds) =>
    run(
      `WITH fees AS (
${feeEventsSql('$3')}),
       lines AS (
         SELECT fees.*,
                CASE WHEN proposed_at >= $1::timestamptz AND proposed_at < $2::timestamptz THEN proposed_at END AS proposed_in,
                CASE WHEN applied_at >= $1::timestamptz AND applied_at < $2::timestamptz THEN applied_at END AS applied_in,
                CASE WHEN collected_at >= $1::timestamptz AND collected_at < $2::timestamptz THEN collected_at END AS collected_in,
                CASE WHEN waived_at >= $1::timestamptz AND waived_at < $2::timestamptz THEN waived_at END AS waived_in
           FROM fees)
       SELECT CASE WHEN grouping(l.client_id) = 1 THEN 'total' WHEN grouping(l.fee_id) = 1 THEN 'client' ELSE 'fee' END AS row_type,
              l.client_id,
              CASE WHEN grouping(l.client_id) = 0 THEN max(c.name) END AS client_name,
              l.currency, l.fee_id,
              CASE WHEN grouping(l.fee_id) = 0 THEN max(l.overdue_invoice) END AS overdue_invoice,
              CASE WHEN grouping(l.fee_id) = 0 THEN max(l.status) END AS status,
              count(*) AS fees,
              ${amountIn('proposed')},
              CASE WHEN grouping(l.fee_id) = 0 THEN to_char(max(l.proposed_in) AT TIME ZONE 'UTC', 'YYYY-MM-DD') END AS proposed_on,
              ${amountIn('applied')},
              CASE WHEN grouping(l.fee_id) = 0 THEN to_char(max(l.applied_in) AT TIME ZONE 'UTC', 'YYYY-MM-DD') END AS applied_on,
              ${amountIn('collected')},
              CASE WHEN grouping(l.fee_id) = 0 THEN to_char(max(l.collected_in) AT TIME ZONE 'UTC', 'YYYY-MM-DD') END AS collected_on,
              ${amountIn('waived')},
              CASE WHEN grouping(l.fee_id) = 0 THEN to_char(max(l.waived_in) AT TIME ZONE 'UTC', 'YYYY-MM-DD') END AS waived_on,
              CASE WHEN grouping(l.fee_id) = 0 THEN max(l.invoice_item) END AS invoice_item,
              CASE WHEN grouping(l.fee_id) = 0 THEN max(l.fee_invoice) END AS fee_invoice,
              CASE WHEN grouping(l.fee_id) = 0 THEN max(l.waiver) END AS waiver,
              CASE WHEN grouping(l.fee_id) = 0 THEN ${dashboardInvoiceUrl('max(l.fee_invoice)')} END AS fee_invoice_url,
              CASE WHEN grouping(l.fee_id) = 0 THEN ${dashboardInvoiceUrl('max(l.overdue_invoice)')} END AS overdue_invoice_url
         FROM lines l
         LEFT JOIN clients c ON c.id = l.client_id
        WHERE l.proposed_in IS NOT NULL OR l.applied_in IS NOT NULL OR l.collected_in IS NOT NULL OR l.waived_in IS NOT NULL
        GROUP BY GROUPING SETS ((l.currency, l.client_id, l.fee_id), (l.currency, l.client_id), (l.currency))
        ORDER BY l.currency, grouping(l.client_id), client_name, l.client_id, grouping(l.fee_id), min(l.proposed_at), l.fee_id`,
      [bounds.fromStart, bounds.toEnd, bounds.asOfEnd],
    ),
};
