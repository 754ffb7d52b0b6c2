import type Stripe from 'stripe';
import type { CreatedRange } from './backfill/created-ranges';
import type { SyncedType } from './sync-types';

export interface ListParams {
  limit: number;
  starting_after?: string;
  created?: CreatedRange;
}

export interface ListPage {
  data: Array<{ id: string; created: number }>;
  has_more: boolean;
}

/**
 * One page of a type, newest first, as the backfill reads it. Disputes come with their
 * charge (the client is on it); subscriptions include canceled ones, which Stripe hides
 * unless asked.
 */
export async function listPage(stripe: Stripe, type: SyncedType, params: ListParams): Promise<ListPage> {
  const query = {
    limit: params.limit,
    ...(params.starting_after ? { starting_after: params.starting_after } : {}),
    ...(params.created ? { created: params.created } : {}),
  };
  switch (type) {
    case 'customers':
      return (await stripe.customers.list(query)) as ListPage;
    case 'invoices':
      return (await stripe.invoices.list(query)) as unknown as ListPage;
    case 'credit_notes':
      return (await stripe.creditNotes.list(query)) as ListPage;
    case 'disputes':
      return (await stripe.disputes.list({ ...query, expand: ['data.charge'] })) as ListPage;
    case 'subscriptions':
      return (await stripe.subscriptions.list({ ...query, status: 'all' })) as ListPage;
    case 'invoice_payments':
      return (await stripe.invoicePayments.list(query)) as ListPage;
  }
}

/** The `created` of the newest object older than `lt`, for estimating where a type begins. */
export async function newestCreatedBefore(stripe: Stripe, type: SyncedType, lt: number): Promise<number | undefined> {
  const page = await listPage(stripe, type, { limit: 1, created: { lt } });
  return page.data[0]?.created;
}
