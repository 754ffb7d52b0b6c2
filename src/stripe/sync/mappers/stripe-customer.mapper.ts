import type Stripe from 'stripe';
import { fromUnix } from './unix-time';

export interface ClientRow {
  id: string;
  stripe_account_id: string;
  livemode: boolean;
  name: string | null;
  email: string | null;
  currency: string | null;
  metadata: Record<string, string>;
  deleted: boolean;
  stripe_created_at: Date;
}

export function mapCustomer(customer: Stripe.Customer | Stripe.DeletedCustomer, accountId: string): ClientRow {
  if ('deleted' in customer && customer.deleted) {
    return { id: customer.id, stripe_account_id: accountId, livemode: false, name: null, email: null, currency: null, metadata: {}, deleted: true, stripe_created_at: new Date(0) };
  }
  const c = customer as Stripe.Customer;
  return {
    id: c.id,
    stripe_account_id: accountId,
    livemode: c.livemode,
    name: c.name ?? null,
    email: c.email ?? null,
    currency: c.currency ?? null,
    metadata: c.metadata ?? {},
    deleted: false,
    stripe_created_at: fromUnix(c.created) as Date,
  };
}
