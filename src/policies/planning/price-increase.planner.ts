import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { money } from '../../common/money';
import type { PolicyFile } from '../../config/policy-file.schema';
import type { PlannedAction } from '../domain/action';
import { draftNotice, effectiveDate, PriceChange, raisedUnitAmount } from '../domain/price-increase';
import { isTargeted } from '../domain/targeting';
import { loadClientFacts } from './client-standing.query';
import { loadDecidedPriceIncreaseKeys, loadPriceIncreaseCandidates } from './price-increase-candidates.query';

export interface SubscriptionPlan {
  id: string;
  /** The current phase keeps today's prices until the new ones start. */
  currentPeriodStart: number;
  items: {
    priceId: string;
    product: string;
    currency: string;
    unitAmount: number;
    newUnitAmount: number;
    interval: string;
    intervalCount: number;
    quantity: number;
    nickname: string;
  }[];
}

/**
 * Proposes raising a problem client's prices after a notice period. Subscriptions get a
 * schedule whose next phase uses new prices; clients billed ad hoc get a recorded rate
 * multiplier that reports show. At most one proposal per client and year (the dedupe key).
 */
export async function planPriceIncreases(manager: EntityManager, stripe: Stripe, policy: PolicyFile, now: Date): Promise<PlannedAction[]> {
  const settings = policy.priceIncrease;
  if (!settings.enabled || settings.mode === 'off') return [];
  // Only clients whose latest assessment carries a targeted flag or level (the decision
  // below re-checks it with exemptions): not every client ever assessed.
  const candidates = await loadPriceIncreaseCandidates(manager, settings.appliesTo.flags, settings.appliesTo.levels);
  const clients = await loadClientFacts(
    manager,
    candidates.map((r) => r.client_id),
  );
  const effective = effectiveDate(now, settings.noticeDays);
  const dedupeKey = (clientId: string) => `price_increase:${clientId}:${now.getUTCFullYear()}`;
  // Decided this year already (in any way): no need to ask Stripe for its subscriptions again.
  const decided = await loadDecidedPriceIncreaseKeys(manager, now.getUTCFullYear());
  const planned: PlannedAction[] = [];
  for (const client of [...clients.values()].sort((a, b) => a.clientId.localeCompare(b.clientId))) {
    if (!isTargeted(client, { ...settings.appliesTo, allOverdue: false }, policy.exemptCustomers)) continue;
    if (decided.has(dedupeKey(client.clientId))) continue;
    const subscriptions = await subscriptionPlans(stripe, client.clientId, settings.percent);
    const changes: PriceChange[] = subscriptions.flatMap((s) =>
      s.items.map((item) => ({ description: item.nickname, from: money(item.unitAmount, item.currency), to: money(item.newUnitAmount, item.currency) })),
    );
    const why = client.flags.filter((flag) => (settings.appliesTo.flags as string[]).includes(flag));
    planned.push({
      kind: 'price_increase',
      clientId: client.clientId,
      clientName: client.name,
      mode: settings.mode,
      dedupeKey: dedupeKey(client.clientId),
      invoiceId: null,
      amount: null,
      reason:
        `${why.length ? why.join(', ') : `level ${client.level ?? 'unknown'}`}: raise ` +
        `prices ${settings.percent}% from ${effective.toISOString().slice(0, 10)}`,
      params: {
        percent: settings.percent,
        effectiveAt: effective.toISOString(),
        subscriptions,
        // Ad-hoc work has no Stripe price to change: reports apply this multiplier instead.
        rateMultiplier: subscriptions.length === 0 ? 1 + settings.percent / 100 : null,
        notice: draftNotice(client.name ?? client.clientId, settings.percent, effective, changes),
        sendNotice: settings.sendNotice,
      },
    });
  }
  return planned;
}

async function subscriptionPlans(stripe: Stripe, customer: string, percent: number): Promise<SubscriptionPlan[]> {
  const plans: SubscriptionPlan[] = [];
  for await (const subscription of stripe.subscriptions.list({ customer, status: 'active', limit: 100, expand: ['data.items.data.price'] })) {
    if (subscription.schedule) continue; // already scheduled by someone: never overwrite their phases
    const items = subscription.items.data
      .filter((item) => item.price.unit_amount !== null && item.price.recurring)
      .map((item) => ({
        priceId: item.price.id,
        product: typeof item.price.product === 'string' ? item.price.product : item.price.product.id,
        currency: item.price.currency,
        unitAmount: item.price.unit_amount as number,
        newUnitAmount: raisedUnitAmount(item.price.unit_amount as number, percent),
        interval: item.price.recurring?.interval ?? 'month',
        intervalCount: item.price.recurring?.interval_count ?? 1,
        quantity: item.quantity ?? 1,
        nickname: item.price.nickname ?? `${item.price.recurring?.interval ?? 'month'}ly subscription`,
      }));
    if (items.length > 0)
      plans.push({ id: subscription.id, currentPeriodStart: subscription.items.data[0]?.current_period_start ?? subscription.start_date, items });
  }
  return plans;
}
