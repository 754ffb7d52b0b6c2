import type Stripe from 'stripe';
import { listOf, shape } from '../shapes/shape';
import type { BillingContext } from './billing-context';

/** A card payment that succeeds: a payment intent and its charge (the sandbox's card never declines). */
export function chargeCard(ctx: BillingContext, invoice: Stripe.Invoice, amount: number, at: number): Stripe.PaymentIntent {
  const { store, ids, events } = ctx;
  const piId = ids.next('pi');
  const chargeId = ids.next('ch');
  const customer = invoice.customer as string;
  const charge = shape<Stripe.Charge>('charge', {
    id: chargeId,
    object: 'charge',
    amount,
    amount_captured: amount,
    amount_refunded: 0,
    balance_transaction: ids.next('txn'),
    billing_details: { address: null, email: invoice.customer_email, name: invoice.customer_name, phone: null, tax_id: null },
    captured: true,
    created: at,
    currency: invoice.currency,
    customer,
    description: `Payment for Invoice ${invoice.number}`,
    disputed: false,
    fraud_details: {},
    livemode: false,
    metadata: {},
    outcome: { type: 'authorized', network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.' },
    paid: true,
    payment_intent: piId,
    payment_method: ids.next('pm'),
    payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, country: 'US', funding: 'credit' } },
    refunded: false,
    refunds: listOf([], `/v1/charges/${chargeId}/refunds`),
    status: 'succeeded',
  });
  const intent = shape<Stripe.PaymentIntent>('payment_intent', {
    id: piId,
    object: 'payment_intent',
    amount,
    amount_capturable: 0,
    amount_received: amount,
    capture_method: 'automatic',
    client_secret: `${piId}_secret_${ids.next('s').slice(2, 14)}`,
    confirmation_method: 'automatic',
    created: at,
    currency: invoice.currency,
    customer,
    description: `Payment for Invoice ${invoice.number}`,
    latest_charge: chargeId,
    livemode: false,
    metadata: {},
    payment_method: charge.payment_method,
    payment_method_options: {},
    payment_method_types: ['card'],
    status: 'succeeded',
  });
  store.paymentIntents.insert(intent);
  store.charges.insert(charge);
  events.emit('payment_intent.succeeded', intent, at);
  events.emit('charge.succeeded', charge, at);
  return intent;
}
