import type Stripe from 'stripe';
import { badState, invalid, missing, noSuch } from '../http/stripe-error';
import { listOf, shape } from '../shapes/shape';
import type { BillingContext } from './billing-context';
import type { InvoiceOps } from './invoices';

export interface NewCreditNote {
  invoice: string;
  amount?: number;
  reason?: Stripe.CreditNote.Reason;
  memo?: string;
  outOfBandAmount?: number;
  creditAmount?: number;
  metadata?: Record<string, string>;
}

/**
 * Credit notes as Stripe applies them: on an open invoice (pre-payment) they reduce what is
 * due; on a paid one (post-payment) the amount goes out of band or to the customer's credit.
 */
export class CreditNoteOps {
  constructor(
    private readonly ctx: BillingContext,
    private readonly invoices: InvoiceOps,
  ) {}

  get(id: string): Stripe.CreditNote {
    const note = this.ctx.store.creditNotes.get(id);
    if (!note) throw noSuch('credit_note', id);
    return note;
  }

  create(input: NewCreditNote, at: number): Stripe.CreditNote {
    const { store, ids, events } = this.ctx;
    const invoice = this.invoices.get(input.invoice, 'invoice');
    const amount = input.amount ?? (input.outOfBandAmount ?? 0) + (input.creditAmount ?? 0);
    if (!amount) throw missing('amount');
    if (amount <= 0) throw invalid('amount', 'The credit note amount must be positive.', 'parameter_invalid_integer');
    let type: 'pre_payment' | 'post_payment';
    if (invoice.status === 'open') {
      type = 'pre_payment';
      if (amount > invoice.amount_remaining)
        throw invalid(
          'amount',
          `The credit note amount (${amount}) exceeds the amount remaining on the invoice (${invoice.amount_remaining}).`,
          'credit_note_amount_too_large',
        );
    } else if (invoice.status === 'paid') {
      type = 'post_payment';
      const credited = invoice.post_payment_credit_notes_amount;
      if (amount > invoice.amount_paid - credited)
        throw invalid('amount', 'The credit note amount exceeds the amount paid on the invoice.', 'credit_note_amount_too_large');
    } else {
      throw badState(`You can only create credit notes for open or paid invoices; this invoice is ${invoice.status}.`);
    }
    const id = ids.next('cn');
    store.creditNoteCounter += 1;
    const note = shape<Stripe.CreditNote>('credit_note', {
      id,
      object: 'credit_note',
      amount,
      amount_shipping: 0,
      created: at,
      currency: invoice.currency,
      customer: invoice.customer,
      discount_amount: 0,
      discount_amounts: [],
      effective_at: at,
      invoice: invoice.id,
      lines: listOf(
        [
          shape<Stripe.CreditNoteLineItem>('credit_note_line_item', {
            id: ids.next('cnli'),
            object: 'credit_note_line_item',
            amount,
            description: input.memo ?? 'Credit',
            discount_amount: 0,
            discount_amounts: [],
            livemode: false,
            quantity: 1,
            tax_rates: [],
            type: 'custom_line_item',
            unit_amount: amount,
            unit_amount_decimal: String(amount),
            pretax_credit_amounts: [],
            taxes: [],
          }),
        ],
        `/v1/credit_notes/${id}/lines`,
      ),
      livemode: false,
      memo: input.memo ?? null,
      metadata: input.metadata ?? {},
      number: `${invoice.number}-CN-${String(store.creditNoteCounter).padStart(2, '0')}`,
      out_of_band_amount: type === 'post_payment' ? (input.outOfBandAmount ?? (input.creditAmount ? null : amount)) : null,
      pdf: `https://pay.stripe.com/credit_notes/sandbox/${id}/pdf`,
      post_payment_amount: type === 'post_payment' ? amount : 0,
      pre_payment_amount: type === 'pre_payment' ? amount : 0,
      pretax_credit_amounts: [],
      reason: input.reason ?? null,
      refunds: [],
      status: 'issued',
      subtotal: amount,
      subtotal_excluding_tax: amount,
      total: amount,
      total_excluding_tax: amount,
      total_taxes: [],
      type,
    });
    store.creditNotes.insert(note);
    if (type === 'pre_payment') {
      invoice.pre_payment_credit_notes_amount += amount;
    } else {
      invoice.post_payment_credit_notes_amount += amount;
      if (input.creditAmount) {
        const customer = this.ctx.customer(invoice.customer as string);
        customer.balance -= input.creditAmount; // negative balance = credit the customer holds
      }
    }
    this.invoices.recompute(invoice);
    events.emit('credit_note.created', note, at);
    events.emit('invoice.updated', invoice, at, { amount_remaining: invoice.amount_remaining + (type === 'pre_payment' ? amount : 0) });
    // A pre-payment credit note that covers everything settles the invoice, as on Stripe.
    if (type === 'pre_payment' && invoice.amount_remaining === 0) this.invoices.pay(invoice, at, true);
    return note;
  }
}
