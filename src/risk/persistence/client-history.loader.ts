import type { DataSource } from 'typeorm';
import type { ClientHistory, CreditNoteFact, DiscountRequestFact, DisputeFact, InvoiceFact } from '../domain/client-history';
import type { LatenessDistribution } from '../domain/payment-prediction';
import { sqlDatesApart } from '../../common/time';

/**
 * Loads the histories of one batch of clients with one query per fact table, run side by
 * side (set-based, no per-client round trips), in the order of `clientIds`.
 * Rows are typed, not checked with selectRows: this is the detection hot path (a million
 * invoices a full run, measured by bench:detect), exempt as docs/architecture.md says.
 *
 * Postgres does the filtering (the lookback, drafts) and sends timestamps as epoch
 * milliseconds and money as float8 (exact below 2^53, which the ledger guarantees):
 * parsing a million timestamptz strings in JavaScript cost more than judging the clients.
 */
export async function loadClientHistories(dataSource: DataSource, clientIds: string[], lookbackStart: Date): Promise<ClientHistory[]> {
  const histories = new Map<string, ClientHistory>(
    clientIds.map((clientId) => [clientId, { clientId, invoices: [], creditNotes: [], disputes: [], discountRequests: [] }]),
  );
  if (clientIds.length === 0) return [];
  const params = [clientIds, lookbackStart.toISOString()];
  const [invoices, notes, disputes, requests] = await Promise.all([
    // Invoices are most of the volume: one JSON array per client, parsed natively, instead of a million rows.
    // The JSON text is concatenated rather than built with json_agg(json_build_array(…)): integers print
    // as integers and no spaces travel, so this process receives and parses a third less (PostgreSQL
    // spends about 8 % less on 18, the same on 15; measured batch by batch, alternating). The two
    // free-text columns go through to_json for their escaping; status and currency are constrained codes.
    dataSource.query(
      `SELECT client_id,
              '[' || string_agg('[' || to_json(id)::text || ',' || coalesce(to_json(number)::text, 'null') || ',"' || status || '","' || rtrim(currency) || '",'
                                || subtotal || ',' || total || ',' || total_discount || ',' || amount_remaining || ',' || attempt_count || ','
                                || ${msText('stripe_created_at')} || ',' || ${msText('due_at')}
                                || ',' || ${msText('paid_at')} || ',' || ${msText('voided_at')} || ']',
                                ',' ORDER BY stripe_created_at, id) || ']' AS invoices
         FROM invoices
        WHERE client_id = ANY($1) AND status <> 'draft'
          -- The batch's first and last id, in Postgres's own collation: a redundant range that keeps the
          -- estimate at one batch's invoices, so the plan probes the client index instead of a parallel
          -- scan of every invoice once per batch (three processes on a two-core machine, 25 times a run).
          AND client_id BETWEEN (SELECT min(c) FROM unnest($1::text[]) c) AND (SELECT max(c) FROM unnest($1::text[]) c)
          AND (due_at IS NULL OR due_at >= $2 OR status = 'open' OR stripe_created_at >= $2)
        GROUP BY client_id`,
      params,
    ) as Promise<Array<{ client_id: string; invoices: string }>>,
    dataSource.query(
      `SELECT client_id, id, invoice_id, currency, amount::float8 AS amount, reduces_owed, ${ms('stripe_created_at')} AS created
         FROM credit_notes WHERE client_id = ANY($1) AND stripe_created_at >= $2
          AND coalesce(metadata->>'payrisk_kind', '') <> 'late_fee_waiver' -- the owner taking back our own fee is no discount
        ORDER BY client_id, stripe_created_at, id`,
      params,
    ) as Promise<CreditNoteRow[]>,
    dataSource.query(
      `SELECT client_id, id, currency, amount::float8 AS amount, status, ${ms('stripe_created_at')} AS created
         FROM disputes WHERE client_id = ANY($1) AND stripe_created_at >= $2 ORDER BY client_id, stripe_created_at, id`,
      params,
    ) as Promise<DisputeRow[]>,
    dataSource.query(
      `SELECT client_id, id, currency, amount::float8 AS amount, ${ms('requested_at')} AS requested, note
         FROM discount_requests WHERE client_id = ANY($1) AND requested_at >= $2 ORDER BY client_id, requested_at, id`,
      params,
    ) as Promise<DiscountRequestRow[]>,
  ]);
  for (const row of invoices) {
    const history = histories.get(row.client_id);
    if (history) history.invoices = (JSON.parse(row.invoices) as InvoiceTuple[]).map(toInvoice);
  }
  for (const row of notes) histories.get(row.client_id)?.creditNotes.push(toCreditNote(row));
  for (const row of disputes) histories.get(row.client_id)?.disputes.push(toDispute(row));
  for (const row of requests) histories.get(row.client_id)?.discountRequests.push(toDiscountRequest(row));
  return [...histories.values()];
}

/** A timestamptz as whole epoch milliseconds (float8: pg reads it with parseFloat, not its date parser). */
const ms = (column: string) => `round(date_part('epoch', ${column}) * 1000)`;
/** The same as JSON text: an integer (int8 prints faster than float8), or null. */
const msText = (column: string) => `coalesce((date_part('epoch', ${column}) * 1000)::int8::text, 'null')`;
const dateOrNull = (value: number | null) => (value === null ? null : new Date(value));
// Currency columns are char(3); trim keeps them comparable with lowercase codes from elsewhere.
const currencyOf = (value: string) => value.trim();

/** One invoice as json_build_array sends it; bigint money arrives as a JSON number (exact below 2^53). */
type InvoiceTuple = [
  id: string,
  number: string | null,
  status: InvoiceFact['status'],
  currency: string,
  subtotal: number,
  total: number,
  totalDiscount: number,
  amountRemaining: number,
  attemptCount: number,
  created: number,
  due: number | null,
  paid: number | null,
  voided: number | null,
];

interface CreditNoteRow {
  client_id: string;
  id: string;
  invoice_id: string;
  currency: string;
  amount: number;
  reduces_owed: boolean;
  created: number;
}

interface DisputeRow {
  client_id: string;
  id: string;
  currency: string;
  amount: number;
  status: string;
  created: number;
}

interface DiscountRequestRow {
  client_id: string;
  id: string;
  currency: string;
  amount: number;
  requested: number;
  note: string | null;
}

const toInvoice = ([
  id,
  number,
  status,
  currency,
  subtotal,
  total,
  totalDiscount,
  amountRemaining,
  attemptCount,
  created,
  due,
  paid,
  voided,
]: InvoiceTuple): InvoiceFact => ({
  id,
  number,
  status,
  currency: currencyOf(currency),
  subtotal,
  total,
  totalDiscount,
  amountRemaining,
  attemptCount,
  createdAt: new Date(created),
  dueAt: dateOrNull(due),
  paidAt: dateOrNull(paid),
  voidedAt: dateOrNull(voided),
});

const toCreditNote = (row: CreditNoteRow): CreditNoteFact => ({
  id: row.id,
  invoiceId: row.invoice_id,
  currency: currencyOf(row.currency),
  amount: row.amount,
  reducesOwed: row.reduces_owed,
  createdAt: new Date(row.created),
});

const toDispute = (row: DisputeRow): DisputeFact => ({
  id: row.id,
  currency: currencyOf(row.currency),
  amount: row.amount,
  status: row.status,
  createdAt: new Date(row.created),
});

const toDiscountRequest = (row: DiscountRequestRow): DiscountRequestFact => ({
  id: row.id,
  currency: currencyOf(row.currency),
  amount: row.amount,
  requestedAt: new Date(row.requested),
  note: row.note,
});

/**
 * The whole book's signed days late (the payment's date − the due date, as `signedDaysLate`) since `since`, as counts per
 * day: what a payment prediction for a client with few invoices is shrunk towards. One
 * aggregate over paid invoices; Postgres sends a few hundred rows whatever the ledger's size.
 */
export async function loadBookLateness(dataSource: DataSource, since: Date): Promise<LatenessDistribution> {
  const rows: Array<{ day: number; weight: number }> = await dataSource.query(
    `SELECT least(400, greatest(-90, ${sqlDatesApart('due_at', 'paid_at')}))::int AS day, count(*)::float8 AS weight
       FROM invoices
      WHERE status = 'paid' AND due_at IS NOT NULL AND paid_at IS NOT NULL AND paid_at >= $1
      GROUP BY 1`,
    [since.toISOString()],
  );
  return rows.map((row) => ({ day: Number(row.day), weight: Number(row.weight) }));
}
