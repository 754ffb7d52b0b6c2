import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { OWNER_EMAIL_KINDS, type OwnerEmailKind } from '../../common/notifications/owner-notifier.port';
import { column, selectRows } from '../../database/select-rows';

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

/**
 * Writes the row with the caller's manager (same transaction as its cause), for the account in
 * scope (the column's default). False when the dedupe key already exists for that account.
 */
export async function insertOutboxMessage(manager: EntityManager, input: OutboxMessageInput, now: Date): Promise<boolean> {
  const rows = await selectRows(
    manager,
    `INSERT INTO outbox_messages (kind, recipient, dedupe_key, client_id, subject, text, html, payload, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (stripe_account_id, dedupe_key) DO NOTHING RETURNING id`,
    [
      input.kind,
      input.recipient,
      input.dedupeKey,
      input.clientId ?? null,
      input.subject,
      input.text,
      input.html,
      JSON.stringify(input.payload ?? {}),
      input.notBefore ?? now,
      now,
    ],
    z.object({ id: column.text }),
  );
  return rows.length > 0;
}

/** Claims up to `limit` due messages (pending and due, or `sending` with a lease that ran out) under `token` until `leaseUntil`. */
export function claimDueMessages(manager: EntityManager, claim: { token: string; leaseUntil: Date; now: Date; limit: number }): Promise<OutboxMessage[]> {
  return selectRows(
    manager,
    `UPDATE outbox_messages m SET status = 'sending', claim_token = $1, lease_until = $2, attempts = m.attempts + 1
       WHERE m.id IN (
         SELECT id FROM outbox_messages
         WHERE (status = 'pending' AND next_attempt_at <= $3) OR (status = 'sending' AND lease_until < $3)
         ORDER BY next_attempt_at, created_at
         LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING m.*`,
    [claim.token, claim.leaseUntil, claim.now, claim.limit],
    outboxMessageRow,
  );
}

/** `sent`, only if the message's claim still holds; true when it did. */
export async function markMessageSent(manager: EntityManager, message: OutboxMessage, now: Date, transportId: string): Promise<boolean> {
  const sent = await selectRows(
    manager,
    `UPDATE outbox_messages SET status = 'sent', sent_at = $3, lease_until = NULL, last_error = NULL, transport_id = $4
       WHERE id = $1 AND claim_token = $2 AND status = 'sending' RETURNING id`,
    [message.id, message.claim_token, now, transportId],
    z.object({ id: column.text }),
  );
  return sent.length === 1;
}

/** `failed` at once, with its error, if the claim still holds. */
export async function markMessageUndeliverable(manager: EntityManager, message: OutboxMessage, error: string): Promise<void> {
  await manager.query(
    `UPDATE outbox_messages SET status = 'failed', last_error = $3, lease_until = NULL
       WHERE id = $1 AND claim_token = $2 AND status = 'sending'`,
    [message.id, message.claim_token, error],
  );
}

/** Back to `pending` at `nextAttemptAt` (or `failed` when giving up), with its error, if the claim still holds. */
export async function markMessageFailed(
  manager: EntityManager,
  message: OutboxMessage,
  outcome: { status: 'pending' | 'failed'; nextAttemptAt: Date; error: string },
): Promise<void> {
  await manager.query(
    `UPDATE outbox_messages SET status = $3, next_attempt_at = $4, last_error = $5, lease_until = NULL
       WHERE id = $1 AND claim_token = $2 AND status = 'sending'`,
    [message.id, message.claim_token, outcome.status, outcome.nextAttemptAt, outcome.error],
  );
}
