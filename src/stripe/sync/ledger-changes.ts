import { Injectable, Logger } from '@nestjs/common';

/** A client's synced money facts changed (a webhook paid, credited or voided one of its invoices). */
export interface LedgerChange {
  clientId: string;
  eventType: string;
  /** The Stripe account the client belongs to: the reaction runs for that account. */
  accountId: string;
}

export type LedgerChangeListener = (change: LedgerChange) => Promise<void>;
/** Reacts to the changes of one burst at once (one query for all its clients, not one each). */
export type LedgerChangesListener = (changes: LedgerChange[]) => Promise<void>;

/**
 * Lets features react to a webhook at once (a paused client is resumed within seconds of
 * paying, not at the next cron) without the webhook waiting for them: listeners run after
 * the 2xx, and a failing listener is logged, never surfaced to Stripe. Changes notified in
 * one tick are delivered together, one per client.
 */
@Injectable()
export class LedgerChanges {
  private readonly logger = new Logger(LedgerChanges.name);
  private readonly listeners: LedgerChangesListener[] = [];
  private readonly running = new Set<Promise<void>>();
  /** Clients with a reaction queued but not started: a burst of events for one client makes one reaction. */
  private readonly queued = new Map<string, LedgerChange>();

  /** One call per change (each client's reaction on its own). */
  subscribe(listener: LedgerChangeListener): void {
    this.listeners.push(async (changes) => {
      await Promise.all(changes.map((change) => listener(change).catch((error: unknown) => this.failed(error, [change]))));
    });
  }

  /** One call per burst, with every client's change. */
  subscribeMany(listener: LedgerChangesListener): void {
    this.listeners.push(listener);
  }

  notify(change: LedgerChange): void {
    if (this.queued.has(change.clientId)) return;
    this.queued.set(change.clientId, change);
    if (this.queued.size > 1) return; // the burst's delivery is already scheduled
    const start = new Promise<LedgerChange[]>((resolve) =>
      setImmediate(() => {
        const changes = [...this.queued.values()];
        this.queued.clear();
        resolve(changes);
      }),
    );
    for (const listener of this.listeners) {
      let changes: LedgerChange[] = [];
      const run = start
        .then((burst) => listener((changes = burst)))
        .catch((error: unknown) => this.failed(error, changes))
        .finally(() => this.running.delete(run));
      this.running.add(run);
    }
  }

  /** Waits for the reactions in flight (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private failed(error: unknown, changes: LedgerChange[]): void {
    const what = changes.map((change) => `${change.eventType} for ${change.clientId}`).join(', ');
    this.logger.error(`reacting to ${what || 'a change'} failed: ${String(error)}`);
  }
}
