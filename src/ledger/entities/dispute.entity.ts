import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAmount } from './bigint-amount.transformer';

@Entity({ name: 'disputes' })
export class DisputeEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'stripe_account_id' }) stripeAccountId!: string;
  @Column('text', { name: 'client_id', nullable: true }) clientId!: string | null;
  @Column('text', { name: 'invoice_id', nullable: true }) invoiceId!: string | null;
  @Column('text', { name: 'charge_id', nullable: true }) chargeId!: string | null;
  @Column('text', { name: 'payment_intent_id', nullable: true }) paymentIntentId!: string | null;
  @Column('char', { length: 3 }) currency!: string;
  @Column('bigint', { transformer: bigintAmount }) amount!: number;
  @Column('text') reason!: string;
  @Column('text') status!: string;
  @Column('timestamptz', { name: 'stripe_created_at' }) stripeCreatedAt!: Date;
  @Column('timestamptz', { name: 'synced_at' }) syncedAt!: Date;
}
