import type Stripe from 'stripe';
import { requireAmount, requireId, requireRef, requireUnix, withoutNul } from './row-guard';
import { fromUnix, idOf } from './unix-time';

export interface SubscriptionItemRow {
  id: string;
  price_id: string;
  product_id: string | null;
  quantity: number;
  unit_amount: number | null;
  currency: string;
  interval: string | null;
  interval_count: number | null;
}

export interface SubscriptionRow {
  id: string;
  stripe_account_id: string;
  client_id: string;
  status: string;
  collection_method: string;
  currency: string;
  days_until_due: number | null;
  pause_behavior: string | null;
  pause_resumes_at: Date | null;
  cancel_at: Date | null;
  cancel_at_period_end: boolean;
  canceled_at: Date | null;
  ended_at: Date | null;
  current_period_start: Date | null;
  current_period_end: Date | null;
  items: SubscriptionItemRow[];
  price_ids: string[];
  schedule_id: string | null;
  latest_invoice_id: string | null;
  metadata: Record<string, string>;
  stripe_created_at: Date;
  observed_at: Date;
}

function mapItem(subscriptionId: string, item: Stripe.SubscriptionItem): SubscriptionItemRow {
  const unitAmount = item.price?.unit_amount ?? null;
  return {
    id: item.id,
    price_id: item.price.id,
    product_id: idOf(item.price.product as string | { id: string } | null),
    quantity: item.quantity ?? 1,
    unit_amount: unitAmount === null ? null : requireAmount('subscription', subscriptionId, `items.${item.id}.price.unit_amount`, unitAmount),
    currency: item.price.currency,
    interval: item.price.recurring?.interval ?? null,
    interval_count: item.price.recurring?.interval_count ?? null,
  };
}

/**
 * A Stripe subscription (API 2026-10-28.endive) as a ledger row. The current period lives
 * on the items since 2025-03-31.basil; the subscription's is the first item's.
 * `observedAt` is when payrisk read this state (the ordering guard compares it).
 */
export function mapSubscription(subscription: Stripe.Subscription, accountId: string, observedAt: Date): SubscriptionRow {
  const id = requireId('subscription', subscription.id);
  const customerId = requireRef('subscription', id, 'customer', idOf(subscription.customer));
  const items = (subscription.items?.data ?? []).map((item) => mapItem(id, item));
  const first = subscription.items?.data?.[0];
  return withoutNul('subscription', id, {
    id,
    stripe_account_id: accountId,
    client_id: customerId,
    status: subscription.status,
    collection_method: subscription.collection_method,
    currency: subscription.currency,
    days_until_due: subscription.days_until_due ?? null,
    pause_behavior: subscription.pause_collection?.behavior ?? null,
    pause_resumes_at: fromUnix(subscription.pause_collection?.resumes_at),
    cancel_at: fromUnix(subscription.cancel_at),
    cancel_at_period_end: subscription.cancel_at_period_end ?? false,
    canceled_at: fromUnix(subscription.canceled_at),
    ended_at: fromUnix(subscription.ended_at),
    current_period_start: fromUnix(first?.current_period_start),
    current_period_end: fromUnix(first?.current_period_end),
    items,
    price_ids: items.map((item) => item.price_id),
    schedule_id: idOf(subscription.schedule),
    latest_invoice_id: idOf(subscription.latest_invoice as string | { id: string } | null),
    metadata: subscription.metadata ?? {},
    stripe_created_at: fromUnix(requireUnix('subscription', id, 'created', subscription.created)) as Date,
    observed_at: observedAt,
  });
}
