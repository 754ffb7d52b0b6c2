import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAmount } from './bigint-amount.transformer';

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';

/** A Stripe invoice with the derived columns detection needs, computed at write time. */
@Entity({ name: 'invoices' })
export class InvoiceEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'stripe_account_id' }) stripeAccountId!: string;
  @Column('text', { name: 'client_id' }) clientId!: string;
  @Column('text', { nullable: true }) number!: string | null;
  @Column('text') status!: InvoiceStatus;
  @Column('text', { name: 'collection_method' }) collectionMethod!: 'charge_automatically' | 'send_invoice';
  @Column('char', { length: 3 }) currency!: string;
  @Column('bigint', { transformer: bigintAmount }) subtotal!: number;
  @Column('bigint', { transformer: bigintAmount }) total!: number;
  @Column('bigint', { name: 'total_discount', transformer: bigintAmount }) totalDiscount!: number;
  @Column('bigint', { name: 'amount_due', transformer: bigintAmount }) amountDue!: number;
  @Column('bigint', { name: 'amount_paid', transformer: bigintAmount }) amountPaid!: number;
  @Column('bigint', { name: 'amount_remaining', transformer: bigintAmount }) amountRemaining!: number;
  @Column('text', { name: 'subscription_id', nullable: true }) subscriptionId!: string | null;
  @Column('integer', { name: 'attempt_count' }) attemptCount!: number;
  @Column('timestamptz', { name: 'stripe_created_at' }) stripeCreatedAt!: Date;
  @Column('timestamptz', { name: 'finalized_at', nullable: true }) finalizedAt!: Date | null;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt!: Date | null;
  @Column('timestamptz', { name: 'paid_at', nullable: true }) paidAt!: Date | null;
  @Column('timestamptz', { name: 'voided_at', nullable: true }) voidedAt!: Date | null;
  @Column('timestamptz', { name: 'marked_uncollectible_at', nullable: true }) markedUncollectibleAt!: Date | null;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('timestamptz', { name: 'synced_at' }) syncedAt!: Date;
}
