/**
 * Invoices open at the end of a day, with their open amount then (SQL text of a CTE body;
 * `end` is the placeholder of the first instant after that day).
 *
 * Open at D: finalized by D and not yet paid, voided or marked uncollectible at D (from
 * `status_transitions`, never today's status). Open amount at D: what the invoice asked at
 * finalization, minus payments made by D, minus pre-payment credit notes issued by D and not
 * voided by D. Stripe lowers `amount_due` by the pre-payment credit notes issued so far, so
 * those are added back to get the amount at finalization; as of today this equals Stripe's
 * `amount_remaining`. Payments come from `invoice_payments`; an invoice synced before those
 * existed has none: if it was paid, `amount_paid` counts at `paid_at`; if it is open with a
 * part paid, that part counts from finalization (we cannot date it, and this way the open
 * amount never exceeds what Stripe says remains).
 */
export const openInvoicesAsOf = (end: string) => `
  SELECT i.id, i.client_id, i.currency,
         coalesce(i.finalized_at, i.stripe_created_at) AS finalized_at,
         coalesce(i.due_at, i.finalized_at, i.stripe_created_at) AS due_at,
         i.amount_due + coalesce(notes.issued_now, 0) - coalesce(notes.issued_then, 0)
           - CASE WHEN pay.payments > 0 THEN coalesce(pay.paid_then, 0) WHEN i.paid_at IS NULL THEN i.amount_paid ELSE 0 END AS open_amount
    FROM invoices i
    LEFT JOIN LATERAL (
      SELECT count(*) AS payments, sum(p.amount_paid) FILTER (WHERE p.paid_at < ${end}) AS paid_then
        FROM invoice_payments p
       WHERE p.invoice_id = i.id AND p.status = 'paid') pay ON true
    LEFT JOIN LATERAL (
      SELECT sum(n.amount) FILTER (WHERE n.status = 'issued') AS issued_now,
             sum(n.amount) FILTER (WHERE n.stripe_created_at < ${end} AND (n.voided_at IS NULL OR n.voided_at >= ${end})) AS issued_then
        FROM credit_notes n
       WHERE n.invoice_id = i.id AND n.type = 'pre_payment') notes ON true
   WHERE i.status <> 'draft'
     AND coalesce(i.finalized_at, i.stripe_created_at) < ${end}
     AND (i.paid_at IS NULL OR i.paid_at >= ${end})
     AND (i.voided_at IS NULL OR i.voided_at >= ${end})
     AND (i.marked_uncollectible_at IS NULL OR i.marked_uncollectible_at >= ${end})`;

/** What an invoice asked at finalization: `amount_due` plus the pre-payment credit notes that lowered it since. */
export const billedAtFinalization = `
  SELECT i.id, i.client_id, i.currency, coalesce(i.finalized_at, i.stripe_created_at) AS finalized_at, i.voided_at,
         i.amount_due + coalesce(notes.issued_now, 0) AS billed
    FROM invoices i
    LEFT JOIN (SELECT invoice_id, sum(amount) AS issued_now FROM credit_notes WHERE type = 'pre_payment' AND status = 'issued' GROUP BY invoice_id) notes
      ON notes.invoice_id = i.id
   WHERE i.status <> 'draft'`;
