import type Stripe from 'stripe';
import type { FaultInjector } from '../faults/faults';
import type { SandboxStore } from '../store/sandbox-store';
import { signatureHeader } from './signature';

export interface DispatcherOptions {
  /** First retry delay; doubles each attempt (Stripe backs off over days; the sandbox over seconds). */
  baseDelayMs?: number;
  maxAttempts?: number;
  /** Called when a delivery changes an event (its pending_webhooks count). */
  onChange?: () => void;
}

/**
 * Delivers each event to every enabled endpoint that subscribes to it, signed as Stripe
 * signs, retrying failures with exponential backoff. Faults can drop, duplicate or reorder.
 */
export class WebhookDispatcher {
  readonly secrets = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private readonly baseDelayMs: number;
  private readonly maxAttempts: number;
  private readonly onChange: () => void;

  constructor(
    private readonly store: SandboxStore,
    private readonly faults: FaultInjector,
    options: DispatcherOptions = {},
  ) {
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.onChange = options.onChange ?? (() => undefined);
  }

  dispatch(event: Stripe.Event): void {
    if (this.stopped) return;
    for (const endpoint of this.store.webhookEndpoints.values()) {
      if (endpoint.status !== 'enabled') continue;
      if (!endpoint.enabled_events.includes('*') && !endpoint.enabled_events.includes(event.type)) continue;
      const copies = this.faults.deliveryCopies();
      event.pending_webhooks += copies > 0 ? 1 : 0;
      for (let i = 0; i < copies; i += 1) this.schedule(endpoint, event, 1, this.faults.deliveryDelayMs());
    }
  }

  private schedule(endpoint: Stripe.WebhookEndpoint, event: Stripe.Event, attempt: number, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const delivery = this.deliver(endpoint, event, attempt).finally(() => this.inFlight.delete(delivery));
      this.inFlight.add(delivery);
    }, delayMs);
    this.timers.add(timer);
  }

  private async deliver(endpoint: Stripe.WebhookEndpoint, event: Stripe.Event, attempt: number): Promise<void> {
    const secret = this.secrets.get(endpoint.id) as string;
    const payload = JSON.stringify(event, null, 2);
    let ok: boolean;
    try {
      // The signature carries real time, not the sandbox clock: receivers check it against theirs.
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Stripe-Signature': signatureHeader(payload, secret, Math.floor(Date.now() / 1000)),
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
        body: payload,
        signal: AbortSignal.timeout(10_000),
      });
      ok = response.ok;
      await response.arrayBuffer().catch(() => undefined);
    } catch {
      ok = false;
    }
    if (ok) {
      event.pending_webhooks = Math.max(0, event.pending_webhooks - 1);
      this.onChange();
      return;
    }
    if (attempt < this.maxAttempts) this.schedule(endpoint, event, attempt + 1, this.baseDelayMs * 2 ** (attempt - 1));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }
}
