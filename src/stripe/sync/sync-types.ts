/**
 * The Stripe object types the ledger mirrors, in the order a backfill walks them: customers
 * first (their creation dates bound everyone else's ranges), invoices before invoice
 * payments (a payment takes its client from its invoice).
 */
export const SYNCED_TYPES = ['customers', 'invoices', 'credit_notes', 'disputes', 'subscriptions', 'invoice_payments'] as const;
export type SyncedType = (typeof SYNCED_TYPES)[number];

/** After every committed page of a backfill. */
export interface SyncProgress {
  type: SyncedType;
  /** Objects of this type in the ledger from this backfill so far (earlier runs of a resumed one included). */
  synced: number;
  /** Objects in the page just committed. */
  page: number;
  /** Objects per second over this run. */
  ratePerSecond: number;
  /** Estimated objects of this type in all, from how far through their `created` ranges the pages are. */
  estimatedTotal?: number;
  /** Seconds left at the current rate, when the total can be estimated. */
  etaSeconds?: number;
}
