import { z } from 'zod';

/** A Stripe object id such as `cus_NffrFeUfNV2Hib`: a lowercase prefix, `_`, then letters, digits and `_`. */
export const stripeId = (prefix?: string) =>
  z
    .string()
    .max(255, 'expected a Stripe id of at most 255 characters')
    .regex(
      prefix ? new RegExp(`^${prefix}_[A-Za-z0-9_]+$`) : /^[a-z]+_[A-Za-z0-9_]+$/,
      prefix ? `expected a Stripe id like ${prefix}_123abc` : 'expected a Stripe id like cus_123abc',
    )
    .meta({ description: prefix ? `Stripe id (${prefix}_…)` : 'Stripe id (cus_…, in_…)', example: `${prefix ?? 'cus'}_NffrFeUfNV2Hib` });

/** A client is a Stripe customer: its id is the customer id. */
export const customerId = stripeId('cus');
