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

/** Writes the message to the outbox in the caller's transaction, like OwnerNotifier. */
export interface ClientNotifier {
  send(manager: EntityManager, notice: ClientNotice): Promise<void>;
}

export const CLIENT_NOTIFIER = Symbol('CLIENT_NOTIFIER');
