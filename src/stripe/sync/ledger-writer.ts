import type { EntityManager } from 'typeorm';
import type { ClientRow } from './mappers/stripe-customer.mapper';
import type { CreditNoteRow } from './mappers/stripe-credit-note.mapper';
import type { DisputeRow } from './mappers/stripe-dispute.mapper';
import type { InvoiceRow } from './mappers/stripe-invoice.mapper';

type Columns = Record<string, string>;

/**
 * Bulk upserts keyed on Stripe ids: one statement per page via jsonb_to_recordset, never
 * one per object. The WHERE of each ON CONFLICT is the ordering rule: an older state
 * never overwrites a newer one (see docs/architecture.md, "Sync ordering").
 */
async function upsert(manager: EntityManager, table: string, columns: Columns, rows: object[], guard: string): Promise<number> {
  if (rows.length === 0) return 0;
  const names = Object.keys(columns);
  const recordType = names.map((name) => `${name} ${columns[name]}`).join(', ');
  const updates = names
    .filter((name) => name !== 'id')
    .map((name) => `${name} = excluded.${name}`)
    .concat('synced_at = now()')
    .join(', ');
  const sql = `
    INSERT INTO ${table} (${names.join(', ')})
    SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${recordType})
    ON CONFLICT (id) DO UPDATE SET ${updates}
    WHERE ${guard}`;
  await manager.query(sql, [JSON.stringify(rows)]);
  return rows.length;
}

const CLIENT_COLUMNS: Columns = {
  id: 'text',
  stripe_account_id: 'text',
  livemode: 'boolean',
  name: 'text',
  email: 'text',
  currency: 'char(3)',
  metadata: 'jsonb',
  deleted: 'boolean',
  stripe_created_at: 'timestamptz',
};

const INVOICE_COLUMNS: Columns = {
  id: 'text',
  stripe_account_id: 'text',
  client_id: 'text',
  number: 'text',
  status: 'text',
  collection_method: 'text',
  currency: 'char(3)',
  subtotal: 'bigint',
  total: 'bigint',
  total_discount: 'bigint',
  amount_due: 'bigint',
  amount_paid: 'bigint',
  amount_remaining: 'bigint',
  subscription_id: 'text',
  attempt_count: 'integer',
  stripe_created_at: 'timestamptz',
  finalized_at: 'timestamptz',
  due_at: 'timestamptz',
  paid_at: 'timestamptz',
  voided_at: 'timestamptz',
  marked_uncollectible_at: 'timestamptz',
  days_late_when_paid: 'integer',
  metadata: 'jsonb',
};

const CREDIT_NOTE_COLUMNS: Columns = {
  id: 'text',
  stripe_account_id: 'text',
  client_id: 'text',
  invoice_id: 'text',
  number: 'text',
  status: 'text',
  type: 'text',
  reason: 'text',
  currency: 'char(3)',
  amount: 'bigint',
  reduces_owed: 'boolean',
  stripe_created_at: 'timestamptz',
  voided_at: 'timestamptz',
  metadata: 'jsonb',
};

const DISPUTE_COLUMNS: Columns = {
  id: 'text',
  stripe_account_id: 'text',
  client_id: 'text',
  invoice_id: 'text',
  charge_id: 'text',
  payment_intent_id: 'text',
  currency: 'char(3)',
  amount: 'bigint',
  reason: 'text',
  status: 'text',
  stripe_created_at: 'timestamptz',
};

/** draft < open < uncollectible < paid | void: statuses only move forward (uncollectible can still be paid). */
const invoiceRank = (alias: string) =>
  `(CASE ${alias}.status WHEN 'draft' THEN 0 WHEN 'open' THEN 1 WHEN 'uncollectible' THEN 2 ELSE 3 END)`;

export const ledgerWriter = {
  clients: (manager: EntityManager, rows: ClientRow[]) =>
    // Deletion is final; otherwise the latest delivery wins (customers have no state machine).
    upsert(manager, 'clients', CLIENT_COLUMNS, rows, 'NOT clients.deleted'),

  invoices: (manager: EntityManager, rows: InvoiceRow[]) =>
    upsert(
      manager,
      'invoices',
      INVOICE_COLUMNS,
      rows,
      `${invoiceRank('excluded')} > ${invoiceRank('invoices')}
       OR (${invoiceRank('excluded')} = ${invoiceRank('invoices')}
           AND excluded.amount_paid >= invoices.amount_paid
           AND excluded.amount_remaining <= invoices.amount_remaining
           AND excluded.attempt_count >= invoices.attempt_count)`,
    ),

  creditNotes: (manager: EntityManager, rows: CreditNoteRow[]) =>
    // issued → void only.
    upsert(manager, 'credit_notes', CREDIT_NOTE_COLUMNS, rows, `credit_notes.status = 'issued' OR excluded.status = 'void'`),

  disputes: (manager: EntityManager, rows: DisputeRow[]) =>
    // Closed outcomes (won/lost) are final.
    upsert(manager, 'disputes', DISPUTE_COLUMNS, rows, `disputes.status NOT IN ('won', 'lost')`),
};
