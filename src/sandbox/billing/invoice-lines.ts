import type Stripe from 'stripe';
import { shape } from '../shapes/shape';
import { NONE } from '../shapes/shared-values';
import type { BillingContext } from './billing-context';

/** One invoice line (`line_item`), from an invoice item or a subscription item. */
export function buildLine(ctx: BillingContext, invoice: Stripe.Invoice, values: Record<string, unknown>): Stripe.InvoiceLineItem {
  return shape<Stripe.InvoiceLineItem>('line_item', {
    id: ctx.ids.next('il'),
    object: 'line_item',
    currency: invoice.currency,
    discount_amounts: NONE,
    discountable: true,
    discounts: NONE,
    invoice: invoice.id,
    livemode: false,
    metadata: {},
    pretax_credit_amounts: NONE,
    quantity_decimal: String(values.quantity ?? 1),
    subscription: invoice.parent?.subscription_details?.subscription ?? null,
    subtotal: values.amount,
    taxes: NONE,
    ...values,
  });
}
