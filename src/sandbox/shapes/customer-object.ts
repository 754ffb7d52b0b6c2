import type Stripe from 'stripe';
import { shape } from './shape';

/**
 * A new customer as Stripe returns it: the given fields, and what every new customer starts with
 * (no balance, invoice numbers from 1, a prefix from its id). The API route and the seeded
 * scenarios (personas, the labelled population) create their customers through this one shape.
 */
export function customerObject(fields: {
  id: string;
  created: number;
  currency: string | null;
  email: string | null;
  name: string | null;
  description?: string | null;
  phone?: string | null;
  metadata?: Stripe.Metadata;
  preferredLocales?: string[];
  testClock?: string | null;
}): Stripe.Customer {
  return shape<Stripe.Customer>('customer', {
    id: fields.id,
    object: 'customer',
    address: null,
    balance: 0,
    created: fields.created,
    currency: fields.currency,
    delinquent: false,
    description: fields.description ?? null,
    email: fields.email,
    invoice_prefix: fields.id.slice(4, 12).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: fields.metadata ?? {},
    name: fields.name,
    next_invoice_sequence: 1,
    phone: fields.phone ?? null,
    preferred_locales: fields.preferredLocales ?? [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: fields.testClock ?? null,
  });
}
