import type Stripe from 'stripe';
import type { PersonaKind } from '../sandbox.types';
import { Collection } from './collection';

const field =
  <T>(get: (item: T) => unknown) =>
  (item: T): string | null => {
    const value = get(item);
    return typeof value === 'string' ? value : null;
  };

/** Everything the sandbox knows, in memory, one ordered collection per resource. */
export class SandboxStore {
  readonly customers = new Collection<Stripe.Customer>([field((c) => c.test_clock)], ['test_clock']);
  readonly products = new Collection<Stripe.Product>();
  readonly prices = new Collection<Stripe.Price>([field((p) => p.product)], ['product']);
  readonly coupons = new Collection<Stripe.Coupon>();
  readonly invoices = new Collection<Stripe.Invoice>(
    [field((i) => i.customer), field((i) => i.parent?.subscription_details?.subscription)],
    ['customer', 'subscription'],
  );
  readonly invoiceItems = new Collection<Stripe.InvoiceItem>([field((i) => i.customer)], ['customer'], (item) => item.date);
  readonly creditNotes = new Collection<Stripe.CreditNote>([field((c) => c.customer), field((c) => c.invoice)], ['customer', 'invoice']);
  readonly subscriptions = new Collection<Stripe.Subscription>([field((s) => s.customer)], ['customer']);
  readonly schedules = new Collection<Stripe.SubscriptionSchedule>([field((s) => s.customer)], ['customer']);
  readonly paymentIntents = new Collection<Stripe.PaymentIntent>([field((p) => p.customer)], ['customer']);
  readonly charges = new Collection<Stripe.Charge>([field((c) => c.customer), field((c) => c.payment_intent)], ['customer', 'payment_intent']);
  readonly disputes = new Collection<Stripe.Dispute>([field((d) => d.charge), field((d) => d.payment_intent)], ['charge', 'payment_intent']);
  readonly invoicePayments = new Collection<Stripe.InvoicePayment>(
    [field((p) => p.invoice), field((p) => p.payment.payment_intent)],
    ['invoice', 'payment_intent'],
  );
  readonly events = new Collection<Stripe.Event>([field((e) => e.type)], ['type']);
  readonly webhookEndpoints = new Collection<Stripe.WebhookEndpoint>();
  readonly testClocks = new Collection<Stripe.TestHelpers.TestClock>();
  readonly discounts = new Map<string, Stripe.Discount>();
  /** Open invoices, so advancing time only looks at what can become overdue or be collected. */
  readonly openInvoices = new Set<string>();
  /** Invoices whose `invoice.overdue` was already sent (Stripe sends it once). */
  readonly overdueSent = new Set<string>();
  /** Invoice number sequence per customer. */
  readonly invoiceSequence = new Map<string, number>();
  creditNoteCounter = 0;
  /** The seeded clients' personas, so they keep behaving as time moves (scenario/persona-habits.ts). */
  readonly personaOf = new Map<string, { persona: PersonaKind; index: number }>();
  /** When a persona will pay an open invoice (unix seconds), or null: never (arrears). */
  readonly plannedPayments = new Map<string, number | null>();
  /** Salt of the persona habits: the sandbox's random seed (same seed, same behaviour). */
  habitSeed = 42;

  /** Resolves any id by its prefix, for `expand[]`. */
  byId(id: string): { id: string } | undefined {
    const prefixes: Array<[string, Collection<{ id: string }> | Map<string, { id: string }>]> = [
      ['sub_sched_', this.schedules as never],
      ['cus_', this.customers as never],
      ['in_', this.invoices as never],
      ['ii_', this.invoiceItems as never],
      ['sub_', this.subscriptions as never],
      ['price_', this.prices as never],
      ['prod_', this.products as never],
      ['pi_', this.paymentIntents as never],
      ['ch_', this.charges as never],
      ['py_', this.charges as never],
      ['dp_', this.disputes as never],
      ['cn_', this.creditNotes as never],
      ['di_', this.discounts as never],
      ['clock_', this.testClocks as never],
      ['inpay_', this.invoicePayments as never],
    ];
    const hit = prefixes.find(([prefix]) => id.startsWith(prefix));
    if (hit) return hit[1].get(id);
    return this.coupons.get(id);
  }
}
