import type Stripe from 'stripe';
import { STRIPE_API_VERSION } from '../../stripe/stripe-api-version';
import { shape } from '../shapes/shape';
import type { IdFactory } from '../store/ids';
import type { SandboxStore } from '../store/sandbox-store';

export type EventListener = (event: Stripe.Event) => void;

/**
 * Records the event Stripe would emit for a state change, with a snapshot of the object at
 * that moment, and hands it to the webhook dispatcher. Bulk seeding (`seed: N`) turns
 * recording off: 200,000 invoices' worth of snapshots would not fit the point of a benchmark.
 */
export class EventLog {
  enabled = true;
  private readonly listeners: EventListener[] = [];
  /**
   * When each event on a test clock was recorded, on the sandbox's clock. Such an event is
   * stamped with its clock's simulated time, but Stripe's 30-day retention runs on real time.
   */
  private readonly recordedAt = new Map<string, number>();

  constructor(
    private readonly store: SandboxStore,
    private readonly ids: IdFactory,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** The time Stripe's retention counts from: when it happened (test clocks: when it was recorded). */
  retentionTime(event: Stripe.Event): number {
    return this.recordedAt.get(event.id) ?? event.created;
  }

  private readonly suppressed = new Set<string>();

  /**
   * Set on a connected account of a Connect sandbox: Stripe stamps that account's events with
   * `account: acct_…`, which is how a platform's Connect webhook endpoint tells them apart.
   */
  account: string | undefined;

  /** Events Stripe would not send on this account (e.g. `invoice.overdue` without an automation for it). */
  suppress(type: string): void {
    this.suppressed.add(type);
  }

  onEvent(listener: EventListener): void {
    this.listeners.push(listener);
  }

  emit(type: string, object: object, created: number, previous?: Record<string, unknown>): void {
    if (!this.enabled || this.suppressed.has(type)) return;
    const snapshot = JSON.parse(JSON.stringify(object)) as Stripe.Event.Data.Object;
    const event = shape<Stripe.Event>('event', {
      id: this.ids.next('evt'),
      object: 'event',
      api_version: STRIPE_API_VERSION,
      created,
      data: previous ? { object: snapshot, previous_attributes: previous } : { object: snapshot },
      livemode: false,
      pending_webhooks: 0,
      request: { id: null, idempotency_key: null },
      type,
      ...(this.account ? { account: this.account } : {}),
    });
    const onClock =
      (snapshot as { object?: string }).object === 'test_helpers.test_clock' || typeof (snapshot as { test_clock?: unknown }).test_clock === 'string';
    if (onClock) this.recordedAt.set(event.id, this.now());
    this.store.events.insert(event);
    for (const listener of this.listeners) listener(event);
  }
}
