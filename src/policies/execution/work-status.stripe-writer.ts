import type Stripe from 'stripe';
import type { ActionRecord } from '../persistence/action-row';
import { idempotencyKey } from './idempotency-key';

/**
 * Mirrors a pause or resume to Stripe: the customer's `payrisk_work_status` metadata (what
 * other tools read) and, when configured, `pause_collection` on the subscriptions the
 * arrears concern — never on every subscription of the client.
 */
export class WorkStatusStripeWriter {
  constructor(private readonly stripe: Stripe) {}

  async apply(action: ActionRecord): Promise<Record<string, string>> {
    const pausing = action.kind === 'work_pause';
    const key = (step: string) => ({ idempotencyKey: idempotencyKey(action.id, step) });
    await this.stripe.customers.update(action.clientId, { metadata: { payrisk_work_status: pausing ? 'paused' : 'active' } }, key('customer'));
    const ids: Record<string, string> = { customer: action.clientId };
    const subscriptionIds = (action.params.subscriptionIds as string[] | undefined) ?? [];
    for (const id of subscriptionIds) {
      const subscription = await this.stripe.subscriptions.retrieve(id);
      if (subscription.status === 'canceled') continue;
      await this.stripe.subscriptions.update(id, { pause_collection: pausing ? { behavior: 'keep_as_draft' } : '' }, key(`subscription:${id}`));
      ids[`subscription:${id}`] = pausing ? 'collection paused' : 'collection resumed';
    }
    return ids;
  }
}
