import type { EntityManager } from 'typeorm';

/** The kinds of email the owner receives (issue "Owner emails"). */
export const OWNER_EMAIL_KINDS = ['alert', 'action', 'pause', 'resume', 'digest'] as const;
export type OwnerEmailKind = (typeof OWNER_EMAIL_KINDS)[number];

export interface OwnerNotification {
  kind: OwnerEmailKind;
  /** Never sent twice: e.g. `pause:cus_123:2026-11-25`. */
  dedupeKey: string;
  clientId?: string;
  /** Template data; shapes are documented in src/notifications/templates. */
  data: Record<string, unknown>;
}

/**
 * How a feature tells the owner something happened. The notifier writes an outbox row
 * with the caller's EntityManager, so the email commits or rolls back with the event.
 */
export interface OwnerNotifier {
  notify(manager: EntityManager, notification: OwnerNotification): Promise<void>;
}

export const OWNER_NOTIFIER = Symbol('OWNER_NOTIFIER');
