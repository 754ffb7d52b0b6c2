import { Column, Entity, PrimaryColumn } from 'typeorm';

export type WorkStatus = 'active' | 'paused';

/** A Stripe customer. */
@Entity({ name: 'clients' })
export class ClientEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'stripe_account_id' }) stripeAccountId!: string;
  @Column('boolean') livemode!: boolean;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('text', { nullable: true }) email!: string | null;
  @Column('char', { length: 3, nullable: true }) currency!: string | null;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column({ type: 'boolean', insert: false, update: false }) exempt!: boolean;
  @Column('text', { name: 'work_status' }) workStatus!: WorkStatus;
  @Column('boolean') deleted!: boolean;
  @Column('timestamptz', { name: 'stripe_created_at' }) stripeCreatedAt!: Date;
  @Column('timestamptz', { name: 'synced_at' }) syncedAt!: Date;
}
