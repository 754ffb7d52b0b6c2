import type Stripe from 'stripe';
import { DomainError } from '../../common/errors';
import type { ActionRecord } from '../persistence/action-row';
import { findTagged } from './find-tagged';
import { idempotencyKey } from './idempotency-key';

const FEE_INVOICE_DAYS_UNTIL_DUE = 14;

/** Puts a late fee into Stripe: an item on the client's next invoice, or an invoice of its own. */
export class LateFeeStripeWriter {
  constructor(private readonly stripe: Stripe) {}

  async apply(action: ActionRecord): Promise<Record<string, string>> {
    const fee = action.amount;
    if (!fee) throw new DomainError('invalid_input', `Late fee ${action.id} has no amount`);
    const description = String(action.params.description ?? `Late payment fee for invoice ${action.invoiceId}`);
    const metadata = { payrisk_action_id: action.id, payrisk_kind: 'late_fee', payrisk_for_invoice: action.invoiceId ?? '' };
    const key = (step: string) => ({ idempotencyKey: idempotencyKey(action.id, step) });
    const customer = action.clientId;
    const taggedItem = () => findTagged(this.stripe.invoiceItems.list({ customer, limit: 100 }), action.id);
    if (action.params.applyAs === 'separate_invoice') {
      const invoice =
        (await findTagged(this.stripe.invoices.list({ customer, limit: 100 }), action.id)) ??
        (await this.stripe.invoices.create(
          {
            customer,
            collection_method: 'send_invoice',
            days_until_due: FEE_INVOICE_DAYS_UNTIL_DUE,
            currency: fee.currency,
            description,
            metadata,
            pending_invoice_items_behavior: 'exclude',
            auto_advance: false,
          },
          key('invoice'),
        ));
      const item =
        (await taggedItem()) ??
        (await this.stripe.invoiceItems.create(
          { customer, invoice: invoice.id, amount: fee.amount, currency: fee.currency, description, metadata },
          key('item'),
        ));
      if (invoice.status === 'draft') {
        await this.stripe.invoices.finalizeInvoice(invoice.id as string, {}, key('finalize'));
        await this.stripe.invoices.sendInvoice(invoice.id as string, {}, key('send'));
      }
      return { invoice: invoice.id as string, invoiceItem: item.id };
    }
    const item =
      (await taggedItem()) ??
      (await this.stripe.invoiceItems.create({ customer, amount: fee.amount, currency: fee.currency, description, metadata }, key('item')));
    return { invoiceItem: item.id };
  }

  /**
   * Takes the fee back out of Stripe: a pending item is deleted, an item on a draft is
   * removed, a fee already on a finalized invoice is credited, a fee invoice is voided.
   * A fee that has been paid cannot be waived here: the money must be refunded in Stripe.
   */
  async waive(action: ActionRecord): Promise<Record<string, string>> {
    const key = (step: string) => ({ idempotencyKey: idempotencyKey(action.id, step) });
    const fee = action.amount;
    if (!fee) throw new DomainError('invalid_input', `Late fee ${action.id} has no amount`);
    if (action.params.applyAs === 'separate_invoice' && action.stripeIds.invoice) {
      const invoice = await this.stripe.invoices.retrieve(action.stripeIds.invoice);
      if (invoice.status === 'paid') throw new DomainError('conflict', `The fee invoice ${invoice.id} is already paid; refund it in Stripe instead of waiving`);
      if (invoice.status === 'open' || invoice.status === 'uncollectible') await this.stripe.invoices.voidInvoice(invoice.id as string, {}, key('waive-void'));
      if (invoice.status === 'draft') await this.stripe.invoices.del(invoice.id as string);
      return { waivedInvoice: invoice.id as string };
    }
    const item = await this.stripe.invoiceItems.retrieve(action.stripeIds.invoiceItem);
    const invoiceId = typeof item.invoice === 'string' ? item.invoice : (item.invoice?.id ?? null);
    if (!invoiceId) {
      await this.stripe.invoiceItems.del(item.id);
      return { deletedInvoiceItem: item.id };
    }
    const invoice = await this.stripe.invoices.retrieve(invoiceId);
    if (invoice.status === 'draft') {
      await this.stripe.invoiceItems.del(item.id);
      return { deletedInvoiceItem: item.id };
    }
    if (invoice.status === 'paid') throw new DomainError('conflict', `The fee was paid with invoice ${invoiceId}; refund it in Stripe instead of waiving`);
    if (invoice.status !== 'open') return {};
    const note = await this.stripe.creditNotes.create(
      {
        invoice: invoiceId,
        amount: fee.amount,
        reason: 'order_change',
        memo: 'Late fee waived',
        metadata: { payrisk_action_id: action.id, payrisk_kind: 'late_fee_waiver' },
      },
      key('waive-credit-note'),
    );
    return { waiverCreditNote: note.id };
  }
}
