import { hash } from 'node:crypto';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { ledgerWriter, type LedgerRows } from './ledger-writer';
import { InvalidStripeObjectError } from './mappers/row-guard';
import { mapCreditNote } from './mappers/stripe-credit-note.mapper';
import { mapCustomer } from './mappers/stripe-customer.mapper';
import { mapDispute } from './mappers/stripe-dispute.mapper';
import { mapInvoicePayment } from './mappers/stripe-invoice-payment.mapper';
import { mapInvoice } from './mappers/stripe-invoice.mapper';
import { mapSubscription } from './mappers/stripe-subscription.mapper';
import type { SyncedType } from './sync-types';

/** Which ledger type a Stripe object belongs to, by its `object` field; undefined for types we do not mirror. */
export function ledgerTypeOf(object: { object?: string }): SyncedType | undefined {
  switch (object.object) {
    case 'customer':
      return 'customers';
    case 'invoice':
      return 'invoices';
    case 'credit_note':
      return 'credit_notes';
    case 'dispute':
      return 'disputes';
    case 'subscription':
      return 'subscriptions';
    case 'invoice_payment':
      return 'invoice_payments';
    default:
      return undefined;
  }
}

/** One object's ledger row. Throws InvalidStripeObjectError when it cannot be stored. */
function mapOne(type: SyncedType, object: unknown, accountId: string, observedAt: Date): LedgerRows['rows'][number] {
  switch (type) {
    case 'customers':
      return mapCustomer(object as Stripe.Customer, accountId);
    case 'invoices':
      return mapInvoice(object as Stripe.Invoice, accountId);
    case 'credit_notes':
      return mapCreditNote(object as Stripe.CreditNote, accountId);
    case 'disputes':
      return mapDispute(object as Stripe.Dispute, accountId);
    case 'subscriptions':
      return mapSubscription(object as Stripe.Subscription, accountId, observedAt);
    case 'invoice_payments':
      return mapInvoicePayment(object as Stripe.InvoicePayment, accountId);
  }
}

/** The ledger table each synced Stripe type is written to. */
export const LEDGER_TABLE_OF: Record<SyncedType, LedgerRows['table']> = {
  customers: 'clients',
  invoices: 'invoices',
  credit_notes: 'credit_notes',
  disputes: 'disputes',
  subscriptions: 'subscriptions',
  invoice_payments: 'invoice_payments',
};

/**
 * The ledger rows for objects of one type. `observedAt` is when they were read from Stripe
 * (subscriptions are ordered by it). An object that cannot be stored throws
 * InvalidStripeObjectError, unless `onInvalid` is given: then it is left out and reported there.
 */
export function mapObjects(
  type: SyncedType,
  objects: unknown[],
  accountId: string,
  observedAt = new Date(),
  onInvalid?: (error: InvalidStripeObjectError) => void,
): LedgerRows {
  const rows: LedgerRows['rows'][number][] = [];
  for (const object of objects) {
    try {
      rows.push(mapOne(type, object, accountId, observedAt));
    } catch (error) {
      if (!onInvalid || !(error instanceof InvalidStripeObjectError)) throw error;
      onInvalid(error);
    }
  }
  return { table: LEDGER_TABLE_OF[type], rows } as LedgerRows;
}

/**
 * One object's row as of an event (`created`, unix seconds): invoices and clients remember
 * it (`event_created`) and a hash of everything they store, so a same-second
 * snapshot with different fields can be told from a plain duplicate.
 */
export function mapEventObject(type: SyncedType, object: unknown, accountId: string, observedAt: Date, eventCreated: number): LedgerRows['rows'][number] {
  const row = mapOne(type, object, accountId, observedAt) as Record<string, unknown>;
  if (type === 'invoices')
    return {
      ...row,
      event_created: eventCreated,
      content_hash: contentHash(row),
    };
  if (type === 'customers') return { ...row, event_created: eventCreated, content_hash: contentHash(row) };
  return row;
}

function contentHash(row: Record<string, unknown>): string {
  return hash('sha1', JSON.stringify(row), 'base64');
}

/** Throws InvalidStripeObjectError when the object could never be stored (the webhook checks this before its 2xx). */
export function checkMappable(type: SyncedType, object: unknown, accountId: string): void {
  mapOne(type, object, accountId, new Date(0));
}

/** Maps a batch of one type and writes it in one statement (objects that cannot be stored: see mapObjects). */
export function applyObjects(
  manager: EntityManager,
  type: SyncedType,
  objects: unknown[],
  accountId: string,
  observedAt = new Date(),
  onInvalid?: (error: InvalidStripeObjectError) => void,
): Promise<number> {
  return ledgerWriter.rows(manager, mapObjects(type, objects, accountId, observedAt, onInvalid));
}
