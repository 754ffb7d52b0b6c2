import type Stripe from 'stripe';
import { badState, invalid, noSuch } from '../http/stripe-error';
import { shape } from '../shapes/shape';
import type { BillingContext } from './billing-context';
import { DAY_SECONDS as DAY } from '../../common/time';

/**
 * Disputes on card payments. Stripe has no API to open one (a test card does it), so the
 * sandbox opens them through a test helper and the scenario generator.
 */
export class DisputeOps {
  constructor(private readonly ctx: BillingContext) {}

  get(id: string): Stripe.Dispute {
    const dispute = this.ctx.store.disputes.get(id);
    if (!dispute) throw noSuch('dispute', id);
    return dispute;
  }

  /** Opens a dispute on a charge, or on the card payment of a paid invoice. */
  open(target: { charge?: string; invoice?: string }, at: number, reason = 'product_unacceptable'): Stripe.Dispute {
    const { store, ids, events } = this.ctx;
    let chargeId = target.charge;
    if (!chargeId && target.invoice) {
      const payment = store.invoicePayments
        .list({ limit: 10, index: { field: 'invoice', value: target.invoice } })
        .data.find((p) => p.payment.type === 'payment_intent');
      const intent = payment ? store.paymentIntents.get(payment.payment.payment_intent as string) : undefined;
      if (!intent) throw invalid('invoice', `Invoice ${target.invoice} has no card payment to dispute.`, 'parameter_invalid_string');
      chargeId = intent.latest_charge as string;
    }
    if (!chargeId) throw invalid('charge', 'Give a charge or a paid invoice to dispute.', 'parameter_missing');
    const charge = store.charges.get(chargeId);
    if (!charge) throw noSuch('charge', chargeId, 'charge');
    if (charge.disputed) throw badState(`Charge ${chargeId} is already disputed.`, 'charge_disputed');
    charge.disputed = true;
    const dispute = shape<Stripe.Dispute>('dispute', {
      id: ids.next('dp'),
      object: 'dispute',
      amount: charge.amount,
      balance_transactions: [],
      charge: charge.id,
      created: at,
      currency: charge.currency,
      evidence: {},
      evidence_details: { due_by: at + 7 * DAY, has_evidence: false, past_due: false, submission_count: 0, enhanced_eligibility: {} },
      is_charge_refundable: false,
      livemode: false,
      metadata: {},
      payment_intent: charge.payment_intent,
      payment_method_details: { type: 'card', card: { brand: 'visa', case_type: 'chargeback', network_reason_code: '13.3' } },
      reason,
      status: 'needs_response',
      enhanced_eligibility_types: [],
    });
    store.disputes.insert(dispute);
    events.emit('charge.dispute.created', dispute, at);
    return dispute;
  }

  /** `POST /v1/disputes/:id/close` accepts the dispute: the merchant loses it. */
  close(dispute: Stripe.Dispute, at: number, status: 'lost' | 'won' = 'lost'): Stripe.Dispute {
    if (dispute.status === 'lost' || dispute.status === 'won') throw badState('This dispute is already closed.', 'dispute_already_closed');
    dispute.status = status;
    events(this.ctx).emit('charge.dispute.closed', dispute, at);
    return dispute;
  }
}

const events = (ctx: BillingContext) => ctx.events;
