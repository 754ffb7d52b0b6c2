import type Stripe from 'stripe';
import { PreviousAttributes } from '../events/previous-attributes';
import { badState, invalid, missing, noSuch } from '../http/stripe-error';
import { shape } from '../shapes/shape';
import type { BillingContext } from './billing-context';
import { addInterval } from './period';
import type { SubscriptionOps } from './subscriptions';

export interface PhaseInput {
  items: Array<{ price: string; quantity?: number }>;
  startDate?: number;
  endDate?: number;
  iterations?: number;
  duration?: { interval: string; intervalCount: number };
}

/** Subscription schedules: phases whose prices take over the subscription when their start passes. */
export class ScheduleOps {
  constructor(
    private readonly ctx: BillingContext,
    private readonly subscriptions: SubscriptionOps,
  ) {}

  get(id: string): Stripe.SubscriptionSchedule {
    const schedule = this.ctx.store.schedules.get(id);
    if (!schedule) throw noSuch('subscription_schedule', id);
    return schedule;
  }

  fromSubscription(subscriptionId: string, at: number): Stripe.SubscriptionSchedule {
    const subscription = this.subscriptions.get(subscriptionId, 'from_subscription');
    if (subscription.schedule)
      throw badState(`Subscription ${subscriptionId} is already managed by schedule ${String(subscription.schedule)}.`, 'subscription_schedule_already_exists');
    const item = subscription.items.data[0];
    const schedule = shape<Stripe.SubscriptionSchedule>('subscription_schedule', {
      id: this.ctx.ids.next('sub_sched'),
      object: 'subscription_schedule',
      billing_mode: { type: 'classic' },
      created: at,
      current_phase: { start_date: item.current_period_start, end_date: item.current_period_end },
      customer: subscription.customer,
      default_settings: {
        collection_method: subscription.collection_method,
        billing_cycle_anchor: 'automatic',
        invoice_settings: { days_until_due: subscription.days_until_due },
      },
      end_behavior: 'release',
      livemode: false,
      metadata: {},
      phases: [
        this.phase(
          subscription,
          subscription.items.data.map((i) => ({ price: i.price.id, quantity: i.quantity ?? 1 })),
          item.current_period_start,
          item.current_period_end,
        ),
      ],
      status: 'active',
      subscription: subscription.id,
      test_clock: subscription.test_clock,
    });
    subscription.schedule = schedule.id;
    this.ctx.store.schedules.insert(schedule);
    this.ctx.events.emit('subscription_schedule.created', schedule, at);
    this.ctx.events.emit('customer.subscription.updated', subscription, at, { schedule: null });
    return schedule;
  }

  private phase(
    subscription: Stripe.Subscription,
    items: Array<{ price: string; quantity?: number }>,
    start: number,
    end: number,
  ): Stripe.SubscriptionSchedule.Phase {
    return {
      add_invoice_items: [],
      application_fee_percent: null,
      billing_cycle_anchor: null,
      collection_method: subscription.collection_method,
      currency: subscription.currency,
      default_payment_method: null,
      default_tax_rates: [],
      description: null,
      discounts: [],
      end_date: end,
      invoice_settings: null,
      items: items.map((item) => ({
        price: item.price,
        quantity: item.quantity ?? 1,
        discounts: [],
        metadata: {},
        tax_rates: [],
        billing_thresholds: null,
        plan: item.price,
      })),
      metadata: {},
      on_behalf_of: null,
      proration_behavior: 'none',
      start_date: start,
      transfer_data: null,
      trial_end: null,
      billing_thresholds: null,
    } as unknown as Stripe.SubscriptionSchedule.Phase;
  }

  update(
    schedule: Stripe.SubscriptionSchedule,
    phases: PhaseInput[] | undefined,
    endBehavior: Stripe.SubscriptionSchedule.EndBehavior | undefined,
    metadata: Record<string, string> | undefined,
    at: number,
  ): Stripe.SubscriptionSchedule {
    if (schedule.status !== 'active' && schedule.status !== 'not_started')
      throw badState(`You cannot update a schedule whose status is ${schedule.status}.`, 'subscription_schedule_not_active');
    const subscription = this.subscriptions.get(schedule.subscription as string);
    const previous = new PreviousAttributes(schedule);
    if (phases) {
      if (phases.length === 0) throw missing('phases');
      previous.keep('phases');
      let start = phases[0].startDate ?? schedule.phases[0].start_date;
      schedule.phases = phases.map((input, i) => {
        if (input.items.length === 0) throw missing(`phases[${i}][items]`);
        input.items.forEach((item, j) => this.subscriptions.price(item.price, `phases[${i}][items][${j}][price]`));
        const phaseStart = i === 0 ? start : (input.startDate ?? start);
        const price = this.ctx.store.prices.get(input.items[0].price) as Stripe.Price;
        const recurring = price.recurring as Stripe.Price.Recurring;
        const end =
          input.endDate ??
          phases[i + 1]?.startDate ??
          (input.duration
            ? addInterval(phaseStart, input.duration.interval, input.duration.intervalCount)
            : addInterval(phaseStart, recurring.interval, recurring.interval_count * (input.iterations ?? 1)));
        if (end <= phaseStart) throw invalid(`phases[${i}][end_date]`, 'A phase must end after it starts.', 'parameter_invalid_integer');
        start = end;
        return this.phase(subscription, input.items, phaseStart, end);
      });
      const current = schedule.phases.find((phase) => phase.start_date <= at && at < phase.end_date) ?? schedule.phases[0];
      schedule.current_phase = { start_date: current.start_date, end_date: current.end_date };
    }
    previous.set('end_behavior', endBehavior);
    previous.set('metadata', metadata);
    this.ctx.events.emit('subscription_schedule.updated', schedule, at, previous.values);
    return schedule;
  }

  /** The next instant this schedule changes something, if any. */
  nextBoundary(schedule: Stripe.SubscriptionSchedule): number | undefined {
    if (schedule.status !== 'active') return undefined;
    return schedule.current_phase?.end_date ?? undefined;
  }

  /** Switches to the phase in force at `at`, or releases/cancels when the last one ended. */
  apply(schedule: Stripe.SubscriptionSchedule, at: number): void {
    if (schedule.status !== 'active' || !schedule.current_phase || schedule.current_phase.end_date > at) return;
    const subscription = this.subscriptions.get(schedule.subscription as string);
    const next = schedule.phases.find((phase) => phase.start_date <= at && at < phase.end_date);
    const when = schedule.current_phase.end_date;
    if (next) {
      schedule.current_phase = { start_date: next.start_date, end_date: next.end_date };
      const previousItems = JSON.parse(JSON.stringify(subscription.items)) as unknown;
      const keep = subscription.items.data.map((item) => ({ id: item.id, deleted: true }));
      this.subscriptions.replaceItems(
        subscription,
        [...keep, ...next.items.map((item) => ({ price: item.price as string, quantity: item.quantity ?? 1 }))],
        when,
      );
      this.ctx.events.emit('subscription_schedule.updated', schedule, when, { current_phase: null });
      this.ctx.events.emit('customer.subscription.updated', subscription, when, { items: previousItems });
      return;
    }
    schedule.current_phase = null;
    if (schedule.end_behavior === 'cancel') {
      schedule.status = 'completed';
      schedule.completed_at = when;
      this.subscriptions.cancel(subscription, when);
      this.ctx.events.emit('subscription_schedule.completed', schedule, when);
    } else {
      schedule.status = 'released';
      schedule.released_at = when;
      schedule.released_subscription = subscription.id;
      subscription.schedule = null;
      this.ctx.events.emit('subscription_schedule.released', schedule, when);
    }
  }

  release(schedule: Stripe.SubscriptionSchedule, at: number): Stripe.SubscriptionSchedule {
    if (schedule.status !== 'active' && schedule.status !== 'not_started')
      throw badState(`You cannot release a schedule whose status is ${schedule.status}.`, 'subscription_schedule_not_active');
    const subscription = this.subscriptions.get(schedule.subscription as string);
    schedule.status = 'released';
    schedule.released_at = at;
    schedule.released_subscription = subscription.id;
    schedule.current_phase = null;
    subscription.schedule = null;
    this.ctx.events.emit('subscription_schedule.released', schedule, at);
    return schedule;
  }

  cancel(schedule: Stripe.SubscriptionSchedule, at: number): Stripe.SubscriptionSchedule {
    if (schedule.status !== 'active' && schedule.status !== 'not_started')
      throw badState(`You cannot cancel a schedule whose status is ${schedule.status}.`, 'subscription_schedule_not_active');
    schedule.status = 'canceled';
    schedule.canceled_at = at;
    schedule.current_phase = null;
    const subscription = this.subscriptions.get(schedule.subscription as string);
    this.subscriptions.cancel(subscription, at);
    this.ctx.events.emit('subscription_schedule.canceled', schedule, at);
    return schedule;
  }
}
