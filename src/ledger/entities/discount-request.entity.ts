import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAmount } from './bigint-amount.transformer';

/** Haggling the owner logs by hand (phone, email): one of the four kinds of discount event. */
@Entity({ name: 'discount_requests' })
export class DiscountRequestEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text', { name: 'stripe_account_id' }) stripeAccountId!: string;
  @Column('text', { name: 'client_id' }) clientId!: string;
  @Column('char', { length: 3 }) currency!: string;
  @Column('bigint', { transformer: bigintAmount }) amount!: number;
  @Column('text', { nullable: true }) note!: string | null;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt!: Date;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
