import type Stripe from 'stripe';
import type { Billing } from '../billing/billing';
import { addInterval } from '../billing/period';
import { customerObject } from '../shapes/customer-object';
import { shape } from '../shapes/shape';
import type { PersonaKind, SeededDiscountRequest } from '../sandbox.types';
import type { Prng } from '../util/prng';
import { DAY_SECONDS as DAY, HOUR_SECONDS as HOUR } from '../../common/time';

export interface ClientPlan {
  index: number;
  name: string;
  persona: PersonaKind;
  currency: string;
  monthlyAmount: number;
  chargeAutomatically: boolean;
  months: number;
  /** Bulk seeding pays out of band (no payment intent/charge) to keep 200,000 invoices light. */
  lean: boolean;
}

export interface HistoryContext {
  billing: Billing;
  prng: Prng;
  noise: number;
  end: number;
  coupons: { big: string; small: string };
}

const isLatePattern = (persona: PersonaKind, j: number, unluckyAt: number): [number, number] | null => {
  if (persona === 'chronic_late' || persona === 'toxic') return j % 3 !== 1 ? [10, 25] : null;
  if (persona === 'slipping' && j === 1) return [15, 25];
  if (persona === 'unlucky_once' && j === unluckyAt) return [20, 40];
  return null;
};

/**
 * Writes one client's past into the store through the same operations the API uses, each
 * stamped with the moment it happened: a monthly retainer (subscription) and what the
 * persona does with every invoice (pays on time or late, haggles, disputes, leaves one open).
 */
export function buildClientHistory(ctx: HistoryContext, plan: ClientPlan): { customer: Stripe.Customer; requests: SeededDiscountRequest[] } {
  const { billing, prng, end } = ctx;
  const { store, ids, events } = billing.ctx;
  const lastIssue = end - (25 + prng.int(0, 4)) * DAY - prng.int(0, 8) * HOUR;
  const firstIssue = addInterval(lastIssue, 'month', -(plan.months - 1));
  const created = firstIssue - prng.int(3, 20) * DAY;
  const id = ids.next('cus');
  const slug = plan.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const customer = customerObject({ id, created, currency: plan.currency, email: `billing@${slug}.example`, name: plan.name });
  store.customers.insert(customer);
  events.emit('customer.created', customer, created);
  store.personaOf.set(id, { persona: plan.persona, index: plan.index });

  const product = shape<Stripe.Product>('product', {
    id: ids.next('prod'),
    object: 'product',
    active: true,
    created,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name: `Monthly retainer — ${plan.name}`,
    type: 'service',
    updated: created,
  });
  store.products.insert(product);
  const price = shape<Stripe.Price>('price', {
    id: ids.next('price'),
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created,
    currency: plan.currency,
    livemode: false,
    metadata: {},
    nickname: 'Monthly retainer',
    product: product.id,
    recurring: { interval: 'month', interval_count: 1, meter: null, usage_type: 'licensed', trial_period_days: null },
    tax_behavior: 'unspecified',
    type: 'recurring',
    unit_amount: plan.monthlyAmount,
    unit_amount_decimal: String(plan.monthlyAmount),
  });
  store.prices.insert(price);
  product.default_price = price.id;

  const subscription = billing.subscriptions.create(
    {
      customer: id,
      items: [{ price: price.id }],
      collectionMethod: plan.chargeAutomatically ? 'charge_automatically' : 'send_invoice',
      daysUntilDue: plan.chargeAutomatically ? undefined : 14,
    },
    firstIssue,
  );
  const invoices: Stripe.Invoice[] = [store.invoices.get(subscription.latest_invoice as string) as Stripe.Invoice];
  for (let k = 1; k < plan.months; k += 1) {
    billing.subscriptions.renew(subscription);
    invoices.push(store.invoices.get(subscription.latest_invoice as string) as Stripe.Invoice);
  }

  const persona = plan.persona;
  const haggler = persona === 'discount_hunter' || persona === 'toxic';
  const unluckyAt = 5 + (plan.index % 5);
  const disputedAt = new Set(persona === 'disputer' ? (plan.index % 2 ? [2, 4] : [3]) : []);
  const requests: SeededDiscountRequest[] = [];

  /** Pays (or leaves open) one invoice following the persona's lateness for month j. */
  const settle = (invoice: Stripe.Invoice, j: number, forceOpen = false): void => {
    if (invoice.status !== 'open') return;
    const due = invoice.due_date ?? (invoice.status_transitions.finalized_at as number);
    const late = isLatePattern(persona, j, unluckyAt);
    let paidAt: number;
    if (late) paidAt = due + prng.int(late[0], late[1]) * DAY + prng.int(1, 10) * HOUR;
    else {
      const jitter = prng.chance(ctx.noise) ? prng.int(1, 3) : prng.int(-7, 3);
      paidAt = Math.max((invoice.status_transitions.finalized_at as number) + HOUR, due + jitter * DAY - prng.int(1, 10) * HOUR);
    }
    if (persona === 'chronic_late' || persona === 'toxic') {
      // Open invoices of a chronic late payer stay under 20 days past due (contract).
      if (paidAt > end && end - due >= 19 * DAY) paidAt = end - prng.int(1, 12) * HOUR;
    }
    const open = forceOpen || paidAt > end;
    billing.invoices.checkOverdue(invoice, open ? end : paidAt);
    if (open) {
      // Still open at "now": the persona pays it when its habit says, as the clock moves on
      // (long arrears never; a slipping client's latest one later than ever, see persona-habits.ts).
      if (!forceOpen) store.plannedPayments.set(invoice.id, paidAt);
      else if (persona === 'long_arrears') store.plannedPayments.set(invoice.id, null);
      return;
    }
    const card = disputedAt.has(j) || (!plan.lean && prng.chance(0.5));
    billing.invoices.pay(invoice, paidAt, !card);
    if (disputedAt.has(j)) {
      const disputedOn = paidAt + prng.int(8, 20) * DAY;
      if (disputedOn < end) {
        const dispute = billing.disputes.open({ invoice: invoice.id }, disputedOn, prng.pick(['product_unacceptable', 'subscription_canceled', 'general']));
        const closeOn = disputedOn + prng.int(15, 40) * DAY;
        if (closeOn < end) billing.disputes.close(dispute, closeOn, prng.chance(0.5) ? 'lost' : 'won');
      }
    }
  };

  /** A one-off invoice (project work, or a re-issue), optionally with a coupon. */
  const oneOff = (at: number, amount: number, description: string, coupon?: string): Stripe.Invoice => {
    const invoice = billing.invoices.create(
      { customer: id, collectionMethod: 'send_invoice', daysUntilDue: 14, currency: plan.currency, coupons: coupon ? [coupon] : undefined },
      at,
    );
    billing.invoices.createItem({ customer: id, amount, currency: plan.currency, description, invoice: invoice.id }, at);
    return billing.invoices.finalize(invoice, at);
  };

  invoices.forEach((invoice, k) => {
    const j = plan.months - 1 - k; // 0 = the latest invoice
    const issued = invoice.created;
    if (haggler && j === 2) {
      const amount = Math.round(invoice.amount_due * 0.15);
      billing.creditNotes.create(
        { invoice: invoice.id, amount, reason: prng.pick(['product_unsatisfactory', 'order_change'] as const), memo: 'Goodwill reduction after complaint' },
        issued + 2 * DAY,
      );
    }
    if (haggler && j === 3) {
      billing.invoices.void(invoice, issued + 2 * DAY);
      settle(oneOff(issued + 2 * DAY, Math.round(plan.monthlyAmount * 0.85), 'Monthly retainer (re-issued at the agreed reduced rate)'), j);
      return;
    }
    settle(invoice, j, (persona === 'long_arrears' && j === 3) || (persona === 'slipping' && j === 0));
    if (haggler && (j === 1 || j === 4)) {
      settle(oneOff(issued + 3 * DAY, Math.round(plan.monthlyAmount * 0.4), 'Additional design work', ctx.coupons.big), j);
    }
    if (!haggler && !plan.lean && j === 9 && prng.chance(ctx.noise)) {
      settle(oneOff(issued + 3 * DAY, Math.round(plan.monthlyAmount * 0.2), 'Small extra request', ctx.coupons.small), j);
    }
  });

  if (haggler) {
    for (const daysAgo of [prng.int(20, 60), prng.int(70, 120)]) {
      requests.push({
        customerId: id,
        amount: Math.round(plan.monthlyAmount * (0.1 + prng.int(0, 10) / 100)),
        currency: plan.currency,
        requestedAt: new Date((end - daysAgo * DAY) * 1000),
        note: prng.pick([
          'Asked for a discount on the retainer by phone',
          'Emailed asking to drop the price for next month',
          'Wants a reduction after launch delay',
        ]),
      });
    }
  }
  return { customer, requests };
}
