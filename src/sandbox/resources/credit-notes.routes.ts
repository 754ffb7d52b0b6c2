import type Stripe from 'stripe';
import { listResponse } from '../http/list-params';
import { invalid } from '../http/stripe-error';
import { listOf } from '../shapes/shape';
import type { RegisterRoutes } from './route-deps';

const REASONS = ['duplicate', 'fraudulent', 'order_change', 'product_unsatisfactory'];

export const creditNoteRoutes: RegisterRoutes = (router, { ctx, billing }) => {
  const { store } = ctx;
  router.on('POST', '/v1/credit_notes', ({ params }) => {
    const invoice = billing.invoices.get(params.reqStr('invoice'), 'invoice');
    const reason = params.str('reason');
    if (reason && !REASONS.includes(reason)) throw invalid('reason', `Invalid reason: must be one of ${REASONS.join(', ')}`);
    const lines = params.list('lines');
    const amount =
      params.int('amount') ??
      (lines.length
        ? lines.reduce(
            (sum, line, i) =>
              sum +
              (line.int('amount') ??
                line.int('unit_amount') ??
                (() => {
                  throw invalid(`lines[${i}][amount]`, 'Each credit note line needs an amount.');
                })()),
            0,
          )
        : undefined);
    return billing.creditNotes.create(
      {
        invoice: invoice.id,
        amount,
        reason: reason as Stripe.CreditNote.Reason | undefined,
        memo: params.str('memo'),
        outOfBandAmount: params.int('out_of_band_amount'),
        creditAmount: params.int('credit_amount'),
        metadata: params.metadata(),
      },
      ctx.nowFor(invoice.customer as string),
    );
  });
  router.on('GET', '/v1/credit_notes', ({ params }) => {
    const customer = params.str('customer');
    const invoice = params.str('invoice');
    return listResponse(store.creditNotes, params, '/v1/credit_notes', {
      index: invoice ? { field: 'invoice', value: invoice } : customer ? { field: 'customer', value: customer } : undefined,
    });
  });
  router.on('GET', '/v1/credit_notes/:id', ({ pathParams }) => billing.creditNotes.get(pathParams.id));
  router.on('GET', '/v1/credit_notes/:id/lines', ({ pathParams }) => {
    const note = billing.creditNotes.get(pathParams.id);
    return listOf(note.lines.data, `/v1/credit_notes/${note.id}/lines`);
  });
};
