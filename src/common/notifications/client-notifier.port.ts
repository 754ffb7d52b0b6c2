import type { EntityManager } from 'typeorm';

/** A message to a client (not the owner), e.g. the price-increase notice when the owner lets payrisk send it. */
export interface ClientNotice {
  clientId: string;
  to: string;
  /** Never sent twice. */
  dedupeKey: string;
  subject: string;
  text: string;
}

/** Whether the notice was written to the outbox; when not, `reason` is the sentence the owner is told. */
export type ClientNoticeOutcome = { sent: true } | { sent: false; reason: string };

/**
 * Writes the message to the outbox in the caller's transaction, like OwnerNotifier, but only
 * to a `to` that is exactly one valid address (it comes from Stripe, so anyone who can edit
 * the customer controls it); otherwise nothing is written and the outcome says why.
 */
export interface ClientNotifier {
  send(manager: EntityManager, notice: ClientNotice): Promise<ClientNoticeOutcome>;
}

export const CLIENT_NOTIFIER = Symbol('CLIENT_NOTIFIER');
