/**
 * One definition of a late fee's events, shared by the fees report and the weekly digest:
 * - applied and waived: the first audit row moving the fee there (`applied_at`, or
 *   `updated_at` for a waived fee without audit rows, for older data) — never the row's
 *   `updated_at`, which a later note bumps;
 * - collected: the invoice carrying the fee (`stripe_ids.invoice`) was paid, after the fee was
 *   applied and before any waiver;
 * - status: the fee's state at the end of as-of (`asOfEnd`, a SQL parameter), from the audit trail.
 * The result has one row per late fee proposed before as-of: fee_id, client_id, currency,
 * amount, overdue_invoice, invoice_item, fee_invoice, waiver, proposed_at, applied_at,
 * waived_at, status, collected_at.
 */
export const feeEventsSql = (asOfEnd: string) => `
         SELECT a.id::text AS fee_id, a.client_id, a.currency, a.amount, a.invoice_id AS overdue_invoice,
                a.stripe_ids->>'invoiceItem' AS invoice_item, a.stripe_ids->>'invoice' AS fee_invoice,
                coalesce(a.stripe_ids->>'waiverCreditNote', a.stripe_ids->>'waivedInvoice', a.stripe_ids->>'deletedInvoiceItem') AS waiver,
                a.proposed_at, f.applied_at, f.waived_at, f.status,
                CASE WHEN f.applied_at IS NOT NULL AND (f.waived_at IS NULL OR f.waived_at > carrier.paid_at) THEN carrier.paid_at END AS collected_at
           FROM actions a
           LEFT JOIN LATERAL (
             SELECT count(*) > 0 AS audited,
                    min(au.at) FILTER (WHERE au.to_status = 'applied') AS applied_at,
                    min(au.at) FILTER (WHERE au.to_status = 'waived') AS waived_at,
                    (array_agg(au.to_status ORDER BY au.at DESC, au.id DESC) FILTER (WHERE au.at < ${asOfEnd}::timestamptz))[1] AS status_then
               FROM action_audit au WHERE au.action_id = a.id) t ON true
          CROSS JOIN LATERAL (
             SELECT coalesce(t.applied_at, a.applied_at) AS applied_at,
                    coalesce(t.waived_at, CASE WHEN a.status = 'waived' THEN a.updated_at END) AS waived_at,
                    CASE WHEN t.audited THEN coalesce(t.status_then, 'proposed') ELSE a.status END AS status) f
           LEFT JOIN invoices carrier ON carrier.id = a.stripe_ids->>'invoice'
          WHERE a.kind = 'late_fee' AND a.amount IS NOT NULL AND a.proposed_at < ${asOfEnd}::timestamptz`;
