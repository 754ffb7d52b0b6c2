import type { ReportDefinition } from './sql-runner';
import { LEAD_COLUMNS } from './sql-runner';

/** Credit-note reasons that mean money off rather than a correction (as `reduces_owed` in the sync mapper). */
const DISCOUNT_REASONS = `('order_change', 'product_unsatisfactory')`;

const KINDS = [
  ['coupon', 'coupons', 'coupon_amount', 'Coupons', 'Coupon amount'],
  ['credit_note', 'credit_notes', 'credit_note_amount', 'Credit notes', 'Credit note amount'],
  ['void_reissue', 'void_reissues', 'void_reissue_amount', 'Void & re-issue', 'Void & re-issue amount'],
  ['discount_request', 'requests', 'request_amount', 'Discounts requested', 'Requested amount'],
] as const;
/** What was given (money off), as opposed to what was asked for (logged requests). */
const GRANTED = `('coupon', 'credit_note', 'void_reissue')`;

/** One kind's two columns: how many events, and their amount (0 when none). */
const countAndSum = (filter: string, count: string, amount: string) =>
  `count(*) FILTER (WHERE ${filter}) AS ${count}, coalesce(sum(e.amount) FILTER (WHERE ${filter}), 0) AS ${amount}`;

/**
 * Discount events in the period by kind (architecture.md "Words": "Discount event", the same rules as
 * src/risk/domain/discount-events.ts), as known at as-of, per client and currency:
 * - coupon: an invoice created in the period with `total_discount` > 0, not voided by as-of;
 * - credit note: created in the period, reducing what is owed (discount reasons), not voided
 *   by as-of (a note voided since counts when the report is as of an earlier day); a note
 *   that waives one of our late fees is not a discount on the price and is left out;
 * - void & re-issue: an invoice voided by as-of whose first cheaper re-issue to the same client
 *   in the same currency (created from a day before the void to `reissueWindowDays` after)
 *   falls in the period; the amount is the difference, dated at the re-issue;
 * - logged request: requested in the period and logged by as-of.
 * Discounts granted (coupons, credit notes, void & re-issues: money off) are kept apart from
 * discounts requested (asked for, maybe refused): the granted total and its share of gross
 * billed count only what was given.
 * Gross billed is the subtotal of invoices created in the period (not voided by as-of); the
 * total row's gross billed covers every client of the currency, with or without discounts.
 */
export const discountsReport: ReportDefinition = {
  title: 'Discounts',
  columns: [
    ...LEAD_COLUMNS,
    ...KINDS.flatMap(([, count, amount, countHeader, amountHeader]) => [
      { key: count, header: countHeader, type: 'count' as const },
      { key: amount, header: amountHeader, type: 'money' as const },
    ]),
    { key: 'granted', header: 'Discounts granted', type: 'count' },
    { key: 'granted_total', header: 'Granted amount', type: 'money' },
    { key: 'gross_billed', header: 'Gross billed', type: 'money' },
    { key: 'share_of_gross', header: 'Granted share of gross billed', type: 'share' },
  ],
  query: (run, bounds, settings) =>
    run(
      `WITH events AS (
         SELECT i.client_id, i.currency, 'coupon' AS kind, i.total_discount AS amount
           FROM invoices i
          WHERE i.total_discount > 0 AND i.status <> 'draft' AND (i.voided_at IS NULL OR i.voided_at >= $3::timestamptz)
            AND i.stripe_created_at >= $1::timestamptz AND i.stripe_created_at < $2::timestamptz
         UNION ALL
         SELECT n.client_id, n.currency, 'credit_note', n.amount
           FROM credit_notes n
          WHERE n.stripe_created_at >= $1::timestamptz AND n.stripe_created_at < $2::timestamptz
            AND (n.reduces_owed OR (n.status = 'void' AND n.voided_at >= $3::timestamptz AND (n.reason IS NULL OR n.reason IN ${DISCOUNT_REASONS})))
            AND coalesce(n.metadata->>'payrisk_kind', '') <> 'late_fee_waiver'
         UNION ALL
         SELECT v.client_id, v.currency, 'void_reissue', v.total - r.total
           FROM invoices v
           JOIN LATERAL (
             SELECT r.total, r.stripe_created_at
               FROM invoices r
              WHERE r.client_id = v.client_id AND r.currency = v.currency AND r.id <> v.id AND r.status <> 'draft'
                AND (r.voided_at IS NULL OR r.voided_at >= $3::timestamptz)
                AND r.stripe_created_at >= v.stripe_created_at
                AND r.stripe_created_at >= v.voided_at - interval '1 day'
                AND r.stripe_created_at < v.voided_at + ($4::int + 1) * interval '1 day'
                AND r.total < v.total
              ORDER BY r.stripe_created_at, r.id
              LIMIT 1) r ON true
          WHERE v.voided_at < $3::timestamptz
            AND v.voided_at >= $1::timestamptz - ($4::int + 1) * interval '1 day' AND v.voided_at < $2::timestamptz + interval '1 day'
            AND r.stripe_created_at >= $1::timestamptz AND r.stripe_created_at < $2::timestamptz
         UNION ALL
         SELECT d.client_id, d.currency, 'discount_request', d.amount
           FROM discount_requests d
          WHERE d.requested_at >= $1::timestamptz AND d.requested_at < $2::timestamptz AND d.created_at < $3::timestamptz),
       per_client AS (
         SELECT coalesce(e.client_id, '') AS ck, e.currency,
                ${KINDS.map(([kind, count, amount]) => countAndSum(`e.kind = '${kind}'`, count, amount)).join(',\n                ')},
                ${countAndSum(`e.kind IN ${GRANTED}`, 'granted', 'granted_total')}
           FROM events e
          GROUP BY GROUPING SETS ((e.currency, e.client_id), (e.currency))),
       gross AS (
         SELECT coalesce(i.client_id, '') AS ck, i.currency, sum(i.subtotal) AS gross_billed
           FROM invoices i
          WHERE i.status <> 'draft' AND (i.voided_at IS NULL OR i.voided_at >= $3::timestamptz)
            AND i.stripe_created_at >= $1::timestamptz AND i.stripe_created_at < $2::timestamptz
          GROUP BY GROUPING SETS ((i.currency, i.client_id), (i.currency)))
       SELECT CASE WHEN p.ck = '' THEN 'total' ELSE 'client' END AS row_type,
              nullif(p.ck, '') AS client_id, c.name AS client_name, p.currency,
              ${KINDS.map(([, count, amount]) => `p.${count}, p.${amount}::bigint AS ${amount}`).join(', ')},
              p.granted, p.granted_total::bigint AS granted_total,
              coalesce(g.gross_billed, 0)::bigint AS gross_billed,
              round(p.granted_total / nullif(g.gross_billed, 0), 4) AS share_of_gross
         FROM per_client p
         LEFT JOIN gross g ON g.ck = p.ck AND g.currency = p.currency
         LEFT JOIN clients c ON c.id = p.ck
        ORDER BY p.currency, p.ck = '', c.name, p.ck`,
      [bounds.fromStart, bounds.toEnd, bounds.asOfEnd, settings.reissueWindowDays],
    ),
};
