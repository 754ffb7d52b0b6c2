import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A Stripe event already seen; its id as primary key makes duplicate deliveries no-ops. */
@Entity({ name: 'processed_events' })
export class ProcessedEventEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'stripe_account_id' }) stripeAccountId!: string;
  @Column('text') type!: string;
  @Column('text', { name: 'api_version', nullable: true }) apiVersion!: string | null;
  @Column('text', { name: 'object_id', nullable: true }) objectId!: string | null;
  @Column('timestamptz', { name: 'stripe_created_at' }) stripeCreatedAt!: Date;
  @Column('timestamptz', { name: 'received_at' }) receivedAt!: Date;
  @Column('timestamptz', { name: 'processed_at', nullable: true }) processedAt!: Date | null;
}
