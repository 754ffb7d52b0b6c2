import type Stripe from 'stripe';
import type { SandboxClock } from '../clock/sandbox-clock';
import type { EventLog } from '../events/event-log';
import { noSuch } from '../http/stripe-error';
import type { IdFactory } from '../store/ids';
import type { SandboxStore } from '../store/sandbox-store';

/** What every billing operation needs: the store, ids, events and the clocks. */
export class BillingContext {
  constructor(
    readonly store: SandboxStore,
    readonly ids: IdFactory,
    readonly events: EventLog,
    readonly clock: SandboxClock,
  ) {}

  customer(id: string, param = 'customer'): Stripe.Customer {
    const customer = this.store.customers.get(id);
    if (!customer) throw noSuch('customer', id, param);
    return customer;
  }

  /** A customer on a test clock lives in that clock's frozen time; others in the sandbox's. */
  nowFor(customerId: string | null | undefined): number {
    const customer = customerId ? this.store.customers.get(customerId) : undefined;
    const clockId = customer?.test_clock;
    if (typeof clockId === 'string') {
      const clock = this.store.testClocks.get(clockId);
      if (clock) return clock.frozen_time;
    }
    return this.clock.now();
  }
}
