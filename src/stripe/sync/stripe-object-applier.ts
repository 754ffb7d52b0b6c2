import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { ledgerWriter } from './ledger-writer';
import { mapCreditNote } from './mappers/stripe-credit-note.mapper';
import { mapCustomer } from './mappers/stripe-customer.mapper';
import { mapDispute } from './mappers/stripe-dispute.mapper';
import { mapInvoice } from './mappers/stripe-invoice.mapper';
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
    default:
      return undefined;
  }
}

/** Maps a page of one type and writes it in one statement. */
export async function applyObjects(manager: EntityManager, type: SyncedType, objects: unknown[], accountId: string): Promise<number> {
  switch (type) {
    case 'customers':
      return ledgerWriter.clients(manager, (objects as Stripe.Customer[]).map((o) => mapCustomer(o, accountId)));
    case 'invoices':
      return ledgerWriter.invoices(manager, (objects as Stripe.Invoice[]).map((o) => mapInvoice(o, accountId)));
    case 'credit_notes':
      return ledgerWriter.creditNotes(manager, (objects as Stripe.CreditNote[]).map((o) => mapCreditNote(o, accountId)));
    case 'disputes':
      return ledgerWriter.disputes(manager, (objects as Stripe.Dispute[]).map((o) => mapDispute(o, accountId)));
  }
}
