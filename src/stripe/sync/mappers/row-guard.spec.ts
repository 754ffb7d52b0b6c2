import type Stripe from 'stripe';
import { stripeFixtures } from '../../../../test/support/stripe-fixtures';
import { InvalidStripeObjectError } from './row-guard';
import { mapCreditNote } from './stripe-credit-note.mapper';
import { mapCustomer } from './stripe-customer.mapper';
import { mapDispute } from './stripe-dispute.mapper';
import { mapInvoice } from './stripe-invoice.mapper';

const fixtures = stripeFixtures();
const invoice = (changes: Record<string, unknown>) => ({ ...(fixtures.invoice as object), ...changes }) as unknown as Stripe.Invoice;

function refusal(map: () => unknown): InvalidStripeObjectError {
  try {
    map();
  } catch (error) {
    if (error instanceof InvalidStripeObjectError) return error;
    throw error;
  }
  throw new Error('expected InvalidStripeObjectError, the object was mapped');
}

describe('mapper guards: objects that cannot be stored raise InvalidStripeObjectError', () => {
  it('refuses a negative, fractional or unsafe amount owed, naming the field', () => {
    expect(refusal(() => mapInvoice(invoice({ amount_remaining: -5 }), 'acct_1'))).toMatchObject({
      objectType: 'invoice',
      field: 'amount_remaining',
      code: 'invalid_input',
    });
    expect(refusal(() => mapInvoice(invoice({ amount_paid: 10.5 }), 'acct_1')).field).toBe('amount_paid');
    expect(refusal(() => mapInvoice(invoice({ amount_due: 2 ** 60 }), 'acct_1')).field).toBe('amount_due');
    expect(refusal(() => mapInvoice(invoice({ amount_due: '100' }), 'acct_1')).field).toBe('amount_due');
  });

  it('lets an invoice total go below zero (a credit line), but not its discount', () => {
    expect(mapInvoice(invoice({ total: -500, subtotal: -500 }), 'acct_1').total).toBe(-500);
    expect(refusal(() => mapInvoice(invoice({ total_discount_amounts: [{ amount: -1, discount: 'di_1' }] }), 'acct_1')).field).toBe(
      'total_discount_amounts[0].amount',
    );
  });

  it('refuses NUL bytes anywhere in the row, metadata keys and values included', () => {
    expect(refusal(() => mapInvoice(invoice({ metadata: { note: 'a\u0000b' } }), 'acct_1'))).toMatchObject({
      field: 'metadata.note',
      reason: 'contains a NUL byte',
    });
    expect(refusal(() => mapInvoice(invoice({ metadata: { ['k\u0000']: 'v' } }), 'acct_1')).reason).toMatch(/key with a NUL byte/);
    const customer = { ...(fixtures.customer as object), name: 'Ac\u0000me' } as unknown as Stripe.Customer;
    expect(refusal(() => mapCustomer(customer, 'acct_1')).field).toBe('name');
  });

  it('refuses an object without id, customer or creation time', () => {
    expect(refusal(() => mapInvoice(invoice({ id: undefined }), 'acct_1')).field).toBe('id');
    expect(refusal(() => mapInvoice(invoice({ customer: null }), 'acct_1')).field).toBe('customer');
    expect(refusal(() => mapInvoice(invoice({ created: undefined }), 'acct_1')).field).toBe('created');
    const note = { ...(fixtures.credit_note as object), invoice: null } as unknown as Stripe.CreditNote;
    expect(refusal(() => mapCreditNote(note, 'acct_1')).field).toBe('invoice');
    const dispute = { ...(fixtures.dispute as object), amount: -1 } as unknown as Stripe.Dispute;
    expect(refusal(() => mapDispute(dispute, 'acct_1')).field).toBe('amount');
  });
});
