import { Injectable, Logger } from '@nestjs/common';

/** A client's synced money facts changed (a webhook paid, credited or voided one of its invoices). */
export interface LedgerChange {
  clientId: string;
  eventType: string;
}

export type LedgerChangeListener = (change: LedgerChange) => Promise<void>;

/**
 * Lets features react to a webhook at once (a paused client is resumed within seconds of
 * paying, not at the next cron) without the webhook waiting for them: listeners run after
 * the 2xx, and a failing listener is logged, never surfaced to Stripe.
 */
@Injectable()
export class LedgerChanges {
  private readonly logger = new Logger(LedgerChanges.name);
  private readonly listeners: LedgerChangeListener[] = [];
  private readonly running = new Set<Promise<void>>();
  /** Clients with a reaction queued but not started: a burst of events for one client makes one reaction. */
  private readonly queued = new Set<string>();

  subscribe(listener: LedgerChangeListener): void {
    this.listeners.push(listener);
  }

  notify(change: LedgerChange): void {
    if (this.queued.has(change.clientId)) return;
    this.queued.add(change.clientId);
    const start = new Promise<void>((resolve) => setImmediate(resolve)).then(() => void this.queued.delete(change.clientId));
    for (const listener of this.listeners) {
      const run = start
        .then(() => listener(change))
        .catch((error: unknown) => this.logger.error(`reacting to ${change.eventType} for ${change.clientId} failed: ${String(error)}`))
        .finally(() => this.running.delete(run));
      this.running.add(run);
    }
  }

  /** Waits for the reactions in flight (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
