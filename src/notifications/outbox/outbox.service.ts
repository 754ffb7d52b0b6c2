import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, CLOCK } from '../../common/clock';
import { nextAttemptDelayMs, OUTBOX_MAX_ATTEMPTS } from './retry-backoff';
import {
  claimDueMessages,
  insertOutboxMessage,
  markMessageFailed,
  markMessageSent,
  markMessageUndeliverable,
  type OutboxMessage,
  type OutboxMessageInput,
} from './outbox.query';

/** How long a claimed message may stay `sending` before another sender may take it over. */
export const OUTBOX_LEASE_MS = 5 * 60_000;

/**
 * The outbox table. Delivery semantics (the crash window):
 * a sender claims due rows (`FOR UPDATE SKIP LOCKED`, committed at once) by setting
 * `status = 'sending'`, a `lease_until` and a fresh `claim_token`; it then hands the message
 * to SMTP and marks it `sent` only if its token still holds. If the process dies between
 * SMTP accepting the message and the `sent` update, the row stays `sending` until the lease
 * runs out and is then retried. That retry is the only way one dedupe key can reach SMTP
 * twice, and it carries the same Message-ID (derived from the dedupe key), so mail clients
 * and the owner can recognise it as the same email. We chose this (at-least-once, duplicate
 * recognisable) over at-most-once because a silently lost "work paused" email is worse than
 * a rare duplicate; concurrent or repeated sender runs never send a key twice.
 */
@Injectable()
export class OutboxService {
  private readonly enqueuedListeners: Array<() => void> = [];

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Called after each new row (its transaction may not have committed yet: listeners should wait a moment). */
  onEnqueued(listener: () => void): void {
    this.enqueuedListeners.push(listener);
  }

  /** Writes the row with the caller's manager (same transaction as the event). Returns false when the dedupe key already exists. */
  async enqueue(manager: EntityManager, input: OutboxMessageInput): Promise<boolean> {
    const inserted = await insertOutboxMessage(manager, input, this.clock.now());
    if (inserted) for (const listener of this.enqueuedListeners) listener();
    return inserted;
  }

  /** Claims up to `limit` due messages (pending and due, or `sending` with an expired lease). */
  async claimDue(limit = 50): Promise<OutboxMessage[]> {
    const now = this.clock.now();
    return claimDueMessages(this.dataSource.manager, { token: randomUUID(), leaseUntil: new Date(now.getTime() + OUTBOX_LEASE_MS), now, limit });
  }

  async markSent(message: OutboxMessage, transportId: string): Promise<boolean> {
    return markMessageSent(this.dataSource.manager, message, this.clock.now(), transportId);
  }

  /** A message no retry can deliver (e.g. a recipient that is not one address): `failed` at once. */
  async markUndeliverable(message: OutboxMessage, error: string): Promise<void> {
    await markMessageUndeliverable(this.dataSource.manager, message, error.slice(0, 2000));
  }

  /** Records the error and schedules the next attempt; gives up (status `failed`) after OUTBOX_MAX_ATTEMPTS. */
  async markFailed(message: OutboxMessage, error: string): Promise<'retry' | 'failed'> {
    const giveUp = message.attempts >= OUTBOX_MAX_ATTEMPTS;
    const next = new Date(this.clock.now().getTime() + nextAttemptDelayMs(message.attempts));
    await markMessageFailed(this.dataSource.manager, message, { status: giveUp ? 'failed' : 'pending', nextAttemptAt: next, error: error.slice(0, 2000) });
    return giveUp ? 'failed' : 'retry';
  }
}
