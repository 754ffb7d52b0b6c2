import type Stripe from 'stripe';
import type { Billing } from '../billing/billing';
import { StripeApiError } from '../http/stripe-error';
import { haggleOverRenewal, paysByCard, plannedPaymentOf } from '../scenario/persona-habits';
import { DAY_SECONDS as DAY } from '../../common/time';

/**
 * Lets time pass for one clock (a test clock, or the sandbox-wide clock when `clockId` is
 * null) up to `target`, doing in order what Stripe would at each instant: schedule phase
 * switches, collection resuming, renewals, `invoice.overdue`, automatic collection.
 * Synchronous: long advances go through advanceClockInSteps.
 */
export function advanceClock(billing: Billing, clockId: string | null, target: number, setNow: (at: number) => void, after = -Infinity): void {
  const { store } = billing.ctx;
  const inScope = (customerId: unknown): boolean => (store.customers.get(customerId as string)?.test_clock ?? null) === clockId;
  const subscriptions = (): Stripe.Subscription[] => [...store.subscriptions.values()].filter((s) => s.status !== 'canceled' && inScope(s.customer));
  const schedules = (): Stripe.SubscriptionSchedule[] => [...store.schedules.values()].filter((s) => s.status === 'active' && inScope(s.customer));
  const openInvoices = (): Stripe.Invoice[] =>
    [...store.openInvoices].map((id) => store.invoices.get(id) as Stripe.Invoice).filter((invoice) => inScope(invoice.customer));

  // Each pass handles everything due at or before `at`, so the next pass looks strictly later.
  // `after`: where the previous step of a stepped advance stopped (see advanceClockInSteps).
  let lastAt = after;
  for (let guard = 0; guard < 100_000; guard += 1) {
    const times: number[] = [];
    for (const schedule of schedules()) {
      const at = billing.schedules.nextBoundary(schedule);
      if (at !== undefined) times.push(at);
    }
    for (const subscription of subscriptions()) {
      times.push(billing.subscriptions.periodEnd(subscription));
      const resumes = subscription.pause_collection?.resumes_at;
      if (resumes) times.push(resumes);
    }
    for (const invoice of openInvoices()) {
      if (invoice.due_date !== null && !store.overdueSent.has(invoice.id)) times.push(invoice.due_date);
      if (invoice.next_payment_attempt !== null && invoice.collection_method === 'charge_automatically') times.push(invoice.next_payment_attempt);
      // The seeded clients keep paying as their persona does (scenario/persona-habits.ts).
      const planned = plannedPaymentOf(store, invoice);
      if (typeof planned === 'number') times.push(Math.max(planned, lastAt + 1));
    }
    const at = Math.min(...times.filter((t) => t <= target && t > lastAt));
    if (!Number.isFinite(at)) break;
    lastAt = at;
    setNow(at);
    for (const schedule of schedules()) billing.schedules.apply(schedule, at);
    for (const subscription of subscriptions()) {
      const pause = subscription.pause_collection;
      if (pause?.resumes_at && pause.resumes_at <= at) billing.subscriptions.update(subscription, { pause: null }, at);
    }
    for (const subscription of subscriptions()) {
      if (billing.subscriptions.periodEnd(subscription) > at) continue;
      if (subscription.cancel_at_period_end) billing.subscriptions.cancel(subscription, at);
      else {
        billing.subscriptions.renew(subscription);
        // The seeded hagglers keep asking (scenario/persona-habits.ts).
        haggleOverRenewal(billing, store.invoices.get(subscription.latest_invoice as string), at);
      }
    }
    for (const invoice of openInvoices()) {
      billing.invoices.checkOverdue(invoice, at);
      if (
        invoice.collection_method === 'charge_automatically' &&
        invoice.next_payment_attempt !== null &&
        invoice.next_payment_attempt <= at &&
        invoice.status === 'open'
      ) {
        billing.invoices.pay(invoice, at, false);
        continue;
      }
      const planned = plannedPaymentOf(store, invoice);
      if (typeof planned === 'number' && planned <= at && invoice.status === 'open') billing.invoices.pay(invoice, at, !paysByCard(invoice, store.habitSeed));
    }
  }
  setNow(target);
}

/** The most one advance may move a clock: two years (731 days, a leap day included). */
export const MAX_ADVANCE_SECONDS = 731 * DAY;

/** Refuses an advance longer than MAX_ADVANCE_SECONDS, as a Stripe-shaped 400 naming the parameter. */
export function checkAdvanceSpan(seconds: number, param: string): void {
  if (seconds > MAX_ADVANCE_SECONDS) {
    throw new StripeApiError(
      400,
      'invalid_request_error',
      `Cannot advance the clock by more than 2 years (${MAX_ADVANCE_SECONDS} seconds) at a time; asked for ${seconds} seconds. Advance in several steps.`,
      'parameter_invalid_integer',
      param,
    );
  }
}

/**
 * advanceClock a day at a time, yielding to the event loop between days (setImmediate), so
 * the process keeps answering requests and signals while a clock moves a long way.
 * `stopped` is asked after each day: when it says so the advance ends where it is.
 * Returns the instant reached (`target` unless stopped).
 */
export async function advanceClockInSteps(
  billing: Billing,
  clockId: string | null,
  from: number,
  target: number,
  setNow: (at: number) => void,
  stopped: () => boolean = () => false,
  stepSeconds = DAY,
): Promise<number> {
  let after = -Infinity;
  for (let stepEnd = Math.min(target, from + stepSeconds); ; stepEnd = Math.min(target, stepEnd + stepSeconds)) {
    advanceClock(billing, clockId, stepEnd, setNow, after);
    after = stepEnd;
    if (stepEnd >= target) return target;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (stopped()) return stepEnd;
  }
}
