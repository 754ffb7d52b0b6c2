import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where a sync stream (backfill per type, events catch-up) left off. */
@Entity({ name: 'sync_cursors' })
export class SyncCursorEntity {
  @PrimaryColumn('text', { name: 'stripe_account_id' }) stripeAccountId!: string;
  @PrimaryColumn('text') stream!: string;
  @Column('text', { nullable: true }) cursor!: string | null;
  @Column('jsonb') state!: Record<string, unknown>;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
