/** The Stripe object types the ledger mirrors, in the order a backfill walks them. */
export const SYNCED_TYPES = ['customers', 'invoices', 'credit_notes', 'disputes'] as const;
export type SyncedType = (typeof SYNCED_TYPES)[number];

export interface SyncProgress {
  type: SyncedType;
  synced: number;
  ratePerSecond: number;
}
