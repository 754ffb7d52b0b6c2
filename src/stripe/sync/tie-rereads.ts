import Stripe from 'stripe';

/**
 * An invoice or client whose stored state came from a snapshot that another one of the same
 * event second contradicts (same status rank, same amounts, other fields): only Stripe's
 * current object can say which is newer. Kept (in sync_cursors) until it is re-read.
 */
export interface SnapshotTie {
  type: 'invoices' | 'customers';
  id: string;
  /** The invoice's customer (re-reads of one customer's invoices share list requests); null for clients. */
  customer: string | null;
  /** The object's `created`, unix seconds: bounds the list that re-reads it. */
  created: number;
  /** The event second the snapshots share. */
  eventCreated: number;
  /** The ordering facts of the tied state; a state that moved on since needs no re-read. */
  rank: number;
  amountPaid: number;
  amountRemaining: number;
  attemptCount: number;
}

export const tieKey = (tie: Pick<SnapshotTie, 'type' | 'id'>) => `${tie.type}:${tie.id}`;

interface ListPage {
  data: { id: string }[];
  has_more: boolean;
}

/**
 * Stripe's current objects for the ties, in as few requests as it can: tied invoices (two or
 * more) from one page of the invoice list over their `created` span, then those of one
 * client (two or more) from that client's list; tied clients (two or more) from one customer
 * list; a list pages no more than retrieving each would cost. The rest, and whatever a list did not return (a deleted draft), one
 * retrieve each. An object Stripe no longer has is left out (`missing`).
 */
export async function readTied(stripe: Stripe, ties: SnapshotTie[]): Promise<{ objects: Map<string, unknown>; requests: number; missing: SnapshotTie[] }> {
  const objects = new Map<string, unknown>();
  let requests = 0;
  const byCustomer = new Map<string, SnapshotTie[]>();
  for (const tie of ties) if (tie.type === 'invoices' && tie.customer) byCustomer.set(tie.customer, [...(byCustomer.get(tie.customer) ?? []), tie]);
  for (const [customer, group] of byCustomer)
    if (group.length >= 2) requests += await listInto(objects, 'invoices', group, (params) => stripe.invoices.list({ ...params, customer }));
  const clients = ties.filter((tie) => tie.type === 'customers');
  if (clients.length >= 2) requests += await listInto(objects, 'customers', clients, (params) => stripe.customers.list(params));
  const missing: SnapshotTie[] = [];
  for (const tie of ties) {
    if (objects.has(tieKey(tie))) continue;
    requests += 1;
    try {
      objects.set(tieKey(tie), tie.type === 'invoices' ? await stripe.invoices.retrieve(tie.id) : await stripe.customers.retrieve(tie.id));
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeInvalidRequestError) || error.code !== 'resource_missing') throw error;
      missing.push(tie);
    }
  }
  return { objects, requests, missing };
}

async function listInto(
  objects: Map<string, unknown>,
  type: SnapshotTie['type'],
  group: SnapshotTie[],
  list: (params: { created: { gte: number; lte: number }; limit: number; starting_after?: string }) => Promise<ListPage>,
  maxPages = Math.ceil(group.length / 2),
): Promise<number> {
  const wanted = new Set(group.map((tie) => tie.id));
  const created = { gte: Math.min(...group.map((tie) => tie.created)), lte: Math.max(...group.map((tie) => tie.created)) };
  let requests = 0;
  let after: string | undefined;
  while (wanted.size > 0 && requests < maxPages) {
    const page = await list({ created, limit: 100, ...(after ? { starting_after: after } : {}) });
    requests += 1;
    for (const object of page.data) if (wanted.delete(object.id)) objects.set(tieKey({ type, id: object.id }), object);
    if (!page.has_more || page.data.length === 0) break;
    after = page.data[page.data.length - 1].id;
  }
  return requests;
}
