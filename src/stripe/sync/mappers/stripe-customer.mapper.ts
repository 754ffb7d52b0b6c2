import type Stripe from 'stripe';
import { requireId, requireUnix, withoutNul } from './row-guard';
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
  const id = requireId('customer', customer.id);
  if ('deleted' in customer && customer.deleted) {
    return {
      id,
      stripe_account_id: accountId,
      livemode: false,
      name: null,
      email: null,
      currency: null,
      metadata: {},
      deleted: true,
      stripe_created_at: new Date(0),
    };
  }
  const c = customer as Stripe.Customer;
  return withoutNul('customer', id, {
    id,
    stripe_account_id: accountId,
    livemode: c.livemode,
    name: c.name ?? null,
    email: c.email ?? null,
    currency: c.currency ?? null,
    metadata: c.metadata ?? {},
    deleted: false,
    stripe_created_at: fromUnix(requireUnix('customer', id, 'created', c.created)) as Date,
  });
}
