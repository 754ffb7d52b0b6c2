import type Stripe from 'stripe';
import { DomainError } from '../../common/errors';
import type { ActionRecord } from '../persistence/action-row';
import type { SubscriptionPlan } from '../planning/price-increase.planner';
import { findTagged } from './find-tagged';
import { idempotencyKey } from './idempotency-key';

/**
 * Schedules the new prices: for each subscription a new price per item and a subscription
 * schedule whose current phase keeps today's prices until the effective date and whose
 * next phase uses the new ones, then releases to a plain subscription. Ad-hoc clients have
 * nothing to change in Stripe: the recorded rate multiplier is the outcome.
 */
export class PriceIncreaseStripeWriter {
  constructor(private readonly stripe: Stripe) {}

  async apply(action: ActionRecord): Promise<Record<string, string>> {
    const key = (step: string) => ({ idempotencyKey: idempotencyKey(action.id, step) });
    const effective = Math.floor(new Date(String(action.params.effectiveAt)).getTime() / 1000);
    const ids: Record<string, string> = {};
    for (const plan of (action.params.subscriptions as SubscriptionPlan[] | undefined) ?? []) {
      const newPrices: string[] = [];
      for (const item of plan.items) {
        const price =
          (await findTagged(
            this.stripe.prices.list({ product: item.product, limit: 100 }),
            action.id,
            (p) => p.metadata?.payrisk_replaces_price === item.priceId,
          )) ??
          (await this.stripe.prices.create(
            {
              product: item.product,
              currency: item.currency,
              unit_amount: item.newUnitAmount,
              recurring: { interval: item.interval as Stripe.PriceCreateParams.Recurring.Interval, interval_count: item.intervalCount },
              nickname: item.nickname,
              metadata: { payrisk_action_id: action.id, payrisk_replaces_price: item.priceId },
            },
            key(`price:${plan.id}:${item.priceId}`),
          ));
        newPrices.push(price.id);
        ids[`price:${item.priceId}`] = price.id;
      }
      const schedule = await this.scheduleFor(action, plan.id, key(`schedule:${plan.id}`));
      if (schedule.metadata?.payrisk_action_id === action.id) {
        ids[`schedule:${plan.id}`] = schedule.id; // a retry: the phases were already set
        continue;
      }
      const currentStart = schedule.phases[0]?.start_date ?? plan.currentPeriodStart;
      await this.stripe.subscriptionSchedules.update(
        schedule.id,
        {
          end_behavior: 'release',
          metadata: { payrisk_action_id: action.id },
          phases: [
            { items: plan.items.map((item) => ({ price: item.priceId, quantity: item.quantity })), start_date: currentStart, end_date: effective },
            {
              items: plan.items.map((item, i) => ({ price: newPrices[i], quantity: item.quantity })),
              start_date: effective,
              duration: { interval: plan.items[0].interval as 'month', interval_count: plan.items[0].intervalCount },
            },
          ],
        },
        key(`phases:${plan.id}`),
      );
      ids[`schedule:${plan.id}`] = schedule.id;
    }
    return ids;
  }

  /**
   * The subscription's schedule: new, ours from an earlier try (tagged with the action id
   * once its phases are set), or someone else's, which payrisk never overwrites.
   */
  private async scheduleFor(action: ActionRecord, subscriptionId: string, options: Stripe.RequestOptions): Promise<Stripe.SubscriptionSchedule> {
    const subscription = await this.stripe.subscriptions.retrieve(subscriptionId);
    const existingId = typeof subscription.schedule === 'string' ? subscription.schedule : subscription.schedule?.id;
    if (!existingId) return this.stripe.subscriptionSchedules.create({ from_subscription: subscriptionId }, options);
    const existing = await this.stripe.subscriptionSchedules.retrieve(existingId);
    if (existing.metadata?.payrisk_action_id === action.id) return existing;
    // Ours but untagged means a crash between creating it and setting its phases, within the key's 24 hours: replay.
    const replay = await this.stripe.subscriptionSchedules.create({ from_subscription: subscriptionId }, options).catch(() => undefined);
    if (replay?.id === existingId) return replay;
    throw new DomainError(
      'conflict',
      `Subscription ${subscriptionId} already has schedule ${existingId}, which payrisk ` +
        `did not set up; change its prices in Stripe or cancel that schedule and approve again`,
    );
  }
}
