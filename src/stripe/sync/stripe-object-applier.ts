import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { ledgerWriter, type LedgerRows } from './ledger-writer';
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

/** The ledger rows for objects of one type. `observedAt` is when they were read from Stripe (subscriptions are ordered by it). */
export function mapObjects(type: SyncedType, objects: unknown[], accountId: string, observedAt = new Date()): LedgerRows {
  switch (type) {
    case 'customers':
      return { table: 'clients', rows: (objects as Stripe.Customer[]).map((o) => mapCustomer(o, accountId)) };
    case 'invoices':
      return { table: 'invoices', rows: (objects as Stripe.Invoice[]).map((o) => mapInvoice(o, accountId)) };
    case 'credit_notes':
      return { table: 'credit_notes', rows: (objects as Stripe.CreditNote[]).map((o) => mapCreditNote(o, accountId)) };
    case 'disputes':
      return { table: 'disputes', rows: (objects as Stripe.Dispute[]).map((o) => mapDispute(o, accountId)) };
    case 'subscriptions':
      return { table: 'subscriptions', rows: (objects as Stripe.Subscription[]).map((o) => mapSubscription(o, accountId, observedAt)) };
    case 'invoice_payments':
      return { table: 'invoice_payments', rows: (objects as Stripe.InvoicePayment[]).map((o) => mapInvoicePayment(o, accountId)) };
  }
}

/** Maps a batch of one type and writes it in one statement. */
export function applyObjects(manager: EntityManager, type: SyncedType, objects: unknown[], accountId: string, observedAt = new Date()): Promise<number> {
  return ledgerWriter.rows(manager, mapObjects(type, objects, accountId, observedAt));
}
