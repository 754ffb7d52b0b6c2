import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { OWNER_EMAIL_KINDS, type OwnerEmailKind } from '../../common/notifications/owner-notifier.port';
import { column, selectRows } from '../../database/select-rows';
import { Clock, CLOCK } from '../../common/clock';
import { nextAttemptDelayMs, OUTBOX_MAX_ATTEMPTS } from './retry-backoff';

export interface OutboxMessageInput {
  kind: OwnerEmailKind | 'client_notice';
  recipient: string;
  dedupeKey: string;
  clientId?: string | null;
  subject: string;
  text: string;
  html: string;
  /** The facts the email was rendered from, kept so a batch can be re-rendered. */
  payload?: Record<string, unknown>;
  /** Not sent before this time (alert batching). */
  notBefore?: Date;
}

/** A row of `outbox_messages` as the sender reads it. */
const outboxMessageRow = z.object({
  id: column.text,
  kind: z.enum([...OWNER_EMAIL_KINDS, 'client_notice']),
  recipient: column.text,
  dedupe_key: column.text,
  client_id: column.text.nullable(),
  subject: column.text,
  text: column.text,
  html: column.text,
  payload: column.json,
  status: z.enum(['pending', 'sending', 'sent', 'failed']),
  attempts: column.int,
  next_attempt_at: column.timestamp,
  claim_token: column.text.nullable(),
  last_error: column.text.nullable(),
  created_at: column.timestamp,
  sent_at: column.timestamp.nullable(),
});
export type OutboxMessage = z.output<typeof outboxMessageRow>;

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
    const rows = await selectRows(
      manager,
      `INSERT INTO outbox_messages (kind, recipient, dedupe_key, client_id, subject, text, html, payload, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [
        input.kind,
        input.recipient,
        input.dedupeKey,
        input.clientId ?? null,
        input.subject,
        input.text,
        input.html,
        JSON.stringify(input.payload ?? {}),
        input.notBefore ?? this.clock.now(),
        this.clock.now(),
      ],
      z.object({ id: column.text }),
    );
    if (rows.length > 0) for (const listener of this.enqueuedListeners) listener();
    return rows.length > 0;
  }

  /** Claims up to `limit` due messages (pending and due, or `sending` with an expired lease). */
  async claimDue(limit = 50): Promise<OutboxMessage[]> {
    const now = this.clock.now();
    const token = randomUUID();
    return selectRows(
      this.dataSource.manager,
      `UPDATE outbox_messages m SET status = 'sending', claim_token = $1, lease_until = $2, attempts = m.attempts + 1
       WHERE m.id IN (
         SELECT id FROM outbox_messages
         WHERE (status = 'pending' AND next_attempt_at <= $3) OR (status = 'sending' AND lease_until < $3)
         ORDER BY next_attempt_at, created_at
         LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING m.*`,
      [token, new Date(now.getTime() + OUTBOX_LEASE_MS), now, limit],
      outboxMessageRow,
    );
  }

  async markSent(message: OutboxMessage, transportId: string): Promise<boolean> {
    const sent = await selectRows(
      this.dataSource.manager,
      `UPDATE outbox_messages SET status = 'sent', sent_at = $3, lease_until = NULL, last_error = NULL, transport_id = $4
       WHERE id = $1 AND claim_token = $2 AND status = 'sending' RETURNING id`,
      [message.id, message.claim_token, this.clock.now(), transportId],
      z.object({ id: column.text }),
    );
    return sent.length === 1;
  }

  /** A message no retry can deliver (e.g. a recipient that is not one address): `failed` at once. */
  async markUndeliverable(message: OutboxMessage, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox_messages SET status = 'failed', last_error = $3, lease_until = NULL
       WHERE id = $1 AND claim_token = $2 AND status = 'sending'`,
      [message.id, message.claim_token, error.slice(0, 2000)],
    );
  }

  /** Records the error and schedules the next attempt; gives up (status `failed`) after OUTBOX_MAX_ATTEMPTS. */
  async markFailed(message: OutboxMessage, error: string): Promise<'retry' | 'failed'> {
    const giveUp = message.attempts >= OUTBOX_MAX_ATTEMPTS;
    const next = new Date(this.clock.now().getTime() + nextAttemptDelayMs(message.attempts));
    await this.dataSource.query(
      `UPDATE outbox_messages SET status = $3, next_attempt_at = $4, last_error = $5, lease_until = NULL
       WHERE id = $1 AND claim_token = $2 AND status = 'sending'`,
      [message.id, message.claim_token, giveUp ? 'failed' : 'pending', next, error.slice(0, 2000)],
    );
    return giveUp ? 'failed' : 'retry';
  }
}
