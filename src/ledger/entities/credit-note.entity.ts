import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAmount } from './bigint-amount.transformer';

/** A Stripe credit note; `reducesOwed` marks the ones that count as discount events. */
@Entity({ name: 'credit_notes' })
export class CreditNoteEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'stripe_account_id' }) stripeAccountId!: string;
  @Column('text', { name: 'client_id' }) clientId!: string;
  @Column('text', { name: 'invoice_id' }) invoiceId!: string;
  @Column('text', { nullable: true }) number!: string | null;
  @Column('text') status!: 'issued' | 'void';
  @Column('text') type!: string;
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('char', { length: 3 }) currency!: string;
  @Column('bigint', { transformer: bigintAmount }) amount!: number;
  @Column('boolean', { name: 'reduces_owed' }) reducesOwed!: boolean;
  @Column('timestamptz', { name: 'stripe_created_at' }) stripeCreatedAt!: Date;
  @Column('timestamptz', { name: 'voided_at', nullable: true }) voidedAt!: Date | null;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('timestamptz', { name: 'synced_at' }) syncedAt!: Date;
}
