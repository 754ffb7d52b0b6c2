import type { Queryable } from '../../src/database/select-rows';

/**
 * The one set of test factories for ledger facts: clients, invoices, invoice payments and
 * credit notes, written the way the Stripe sync writes them (amounts in minor units, Stripe's
 * columns filled, `synced_at` set). Tests give what their case is about and the rest follows:
 * a paid invoice owes nothing, an open or uncollectible one owes what was due less what was
 * paid, the subtotal is the total before its discount. Times are a `Date` or an ISO string.
 */
type Instant = Date | string;

export const TEST_ACCOUNT = 'acct_test';

export interface ClientFact {
  id: string;
  name?: string | null;
  email?: string | null;
  currency?: string | null;
  workStatus?: 'active' | 'paused';
  deleted?: boolean;
  accountId?: string;
  createdAt?: Instant;
  syncedAt?: Instant;
}

export async function insertClient(db: Queryable, fact: ClientFact): Promise<void> {
  await db.query(
    `INSERT INTO clients (id, stripe_account_id, name, email, currency, work_status, deleted, stripe_created_at, synced_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9::timestamptz, now()))`,
    [
      fact.id,
      fact.accountId ?? TEST_ACCOUNT,
      fact.name === undefined ? `Client ${fact.id}` : fact.name,
      fact.email ?? null,
      fact.currency ?? null,
      fact.workStatus ?? 'active',
      fact.deleted ?? false,
      fact.createdAt ?? new Date(),
      fact.syncedAt ?? null,
    ],
  );
}

export interface InvoiceFact {
  id: string;
  clientId: string;
  /** Default: `paid` when `paidAt` is given, `open` otherwise. */
  status?: 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';
  currency?: string;
  /** What the invoice is for after its discount (Stripe's `total`). */
  total: number;
  discount?: number;
  /** Default: the total (lower it for pre-payment credit notes). */
  amountDue?: number;
  /** Default: all that was due when paid, nothing otherwise. */
  amountPaid?: number;
  /** Default: due − paid for open and uncollectible invoices, 0 otherwise. */
  amountRemaining?: number;
  method?: 'send_invoice' | 'charge_automatically';
  /** Default: the id in capitals. */
  number?: string | null;
  attemptCount?: number;
  metadata?: Record<string, string>;
  subscriptionId?: string | null;
  accountId?: string;
  /** Default: finalization, else now. */
  createdAt?: Instant;
  finalizedAt?: Instant | null;
  dueAt?: Instant | null;
  paidAt?: Instant | null;
  voidedAt?: Instant | null;
  uncollectibleAt?: Instant | null;
  /** Default: now (detection reads it to find what changed). */
  syncedAt?: Instant;
}

export async function insertInvoice(db: Queryable, fact: InvoiceFact): Promise<void> {
  const status = fact.status ?? (fact.paidAt ? 'paid' : 'open');
  const discount = fact.discount ?? 0;
  const amountDue = fact.amountDue ?? fact.total;
  const amountPaid = fact.amountPaid ?? (status === 'paid' ? amountDue : 0);
  const amountRemaining = fact.amountRemaining ?? (status === 'open' || status === 'uncollectible' ? amountDue - amountPaid : 0);
  await db.query(
    `INSERT INTO invoices (id, stripe_account_id, client_id, number, status, collection_method, currency, subtotal, total, total_discount,
                           amount_due, amount_paid, amount_remaining, attempt_count, metadata, subscription_id,
                           stripe_created_at, finalized_at, due_at, paid_at, voided_at, marked_uncollectible_at, synced_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, coalesce($23::timestamptz, now()))`,
    [
      fact.id,
      fact.accountId ?? TEST_ACCOUNT,
      fact.clientId,
      fact.number === undefined ? fact.id.toUpperCase() : fact.number,
      status,
      fact.method ?? 'send_invoice',
      fact.currency ?? 'eur',
      fact.total + discount,
      fact.total,
      discount,
      amountDue,
      amountPaid,
      amountRemaining,
      fact.attemptCount ?? 1,
      JSON.stringify(fact.metadata ?? {}),
      fact.subscriptionId ?? null,
      fact.createdAt ?? fact.finalizedAt ?? new Date(),
      fact.finalizedAt ?? null,
      fact.dueAt ?? null,
      fact.paidAt ?? null,
      fact.voidedAt ?? null,
      fact.uncollectibleAt ?? null,
      fact.syncedAt ?? null,
    ],
  );
}

export interface PaymentFact {
  id: string;
  invoiceId: string;
  currency: string;
  amount: number;
  paidAt: Instant;
  accountId?: string;
}

/** A paid invoice payment (Stripe's InvoicePayment): one instalment of an invoice. */
export async function insertPayment(db: Queryable, fact: PaymentFact): Promise<void> {
  await db.query(
    `INSERT INTO invoice_payments (id, stripe_account_id, invoice_id, status, currency, amount_paid, amount_requested, paid_at, stripe_created_at)
     VALUES ($1, $2, $3, 'paid', $4, $5, $5, $6, $6)`,
    [fact.id, fact.accountId ?? TEST_ACCOUNT, fact.invoiceId, fact.currency, fact.amount, fact.paidAt],
  );
}

export interface CreditNoteFact {
  id: string;
  clientId: string;
  invoiceId: string;
  currency?: string;
  amount: number;
  type?: 'pre_payment' | 'post_payment';
  reason?: 'duplicate' | 'fraudulent' | 'order_change' | 'product_unsatisfactory' | null;
  createdAt: Instant;
  voidedAt?: Instant | null;
  /** Default: issued, for a reason that lowers what the client owes (order_change, product_unsatisfactory, none). */
  reducesOwed?: boolean;
  metadata?: Record<string, string>;
  accountId?: string;
}

export async function insertCreditNote(db: Queryable, fact: CreditNoteFact): Promise<void> {
  const reason = fact.reason === undefined ? 'order_change' : fact.reason;
  const voided = fact.voidedAt !== undefined && fact.voidedAt !== null;
  const reducesOwed = fact.reducesOwed ?? (!voided && (reason === null || reason === 'order_change' || reason === 'product_unsatisfactory'));
  await db.query(
    `INSERT INTO credit_notes (id, stripe_account_id, client_id, invoice_id, status, type, reason, currency, amount, reduces_owed, stripe_created_at, voided_at, metadata)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      fact.id,
      fact.accountId ?? TEST_ACCOUNT,
      fact.clientId,
      fact.invoiceId,
      voided ? 'void' : 'issued',
      fact.type ?? 'post_payment',
      reason,
      fact.currency ?? 'eur',
      fact.amount,
      reducesOwed,
      fact.createdAt,
      fact.voidedAt ?? null,
      JSON.stringify(fact.metadata ?? {}),
    ],
  );
}
