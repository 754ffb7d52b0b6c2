import { DomainError } from '../../../common/errors/domain-error';

/**
 * A Stripe object payrisk cannot store as it is: no id, a negative or fractional amount,
 * a NUL byte in a string (PostgreSQL refuses it in text and jsonb). Webhooks answer it with
 * 400 (Stripe stops retrying); the backfill and the events catch-up skip it and log it.
 */
export class InvalidStripeObjectError extends DomainError {
  constructor(
    readonly objectType: string,
    readonly objectId: string | null,
    readonly field: string,
    readonly reason: string,
  ) {
    super('invalid_input', `Stripe ${objectType} ${objectId ?? '(no id)'}: ${field} ${reason}`, { objectType, objectId, field });
    this.name = 'InvalidStripeObjectError';
  }
}

/** The object's id: a non-empty string. */
export function requireId(objectType: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidStripeObjectError(objectType, null, 'id', 'is missing');
  return value;
}

/** Integer minor units within the safe range; non-negative unless `signed` (an invoice total can be below zero). */
export function requireAmount(objectType: string, id: string, field: string, value: unknown, signed = false): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new InvalidStripeObjectError(objectType, id, field, `must be an integer amount in minor units (got ${JSON.stringify(value)})`);
  if (!signed && value < 0) throw new InvalidStripeObjectError(objectType, id, field, `must not be negative (got ${value})`);
  return value;
}

/** A unix timestamp that is required (`created`). */
export function requireUnix(objectType: string, id: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new InvalidStripeObjectError(objectType, id, field, `must be a unix timestamp (got ${JSON.stringify(value)})`);
  return value;
}

/** A required reference (a customer id, an invoice id). */
export function requireRef(objectType: string, id: string, field: string, value: string | null): string {
  if (!value) throw new InvalidStripeObjectError(objectType, id, field, 'is missing');
  return value;
}

/** Every string in the row (metadata keys and values included) is free of NUL bytes; returns the row. */
export function withoutNul<T extends object>(objectType: string, id: string, row: T): T {
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      if (value.includes('\u0000')) throw new InvalidStripeObjectError(objectType, id, path, 'contains a NUL byte');
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}[${i}]`));
    } else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      for (const [key, inner] of Object.entries(value)) {
        if (key.includes('\u0000')) throw new InvalidStripeObjectError(objectType, id, `${path}.${JSON.stringify(key)}`, 'has a key with a NUL byte');
        walk(inner, path ? `${path}.${key}` : key);
      }
    }
  };
  walk(row, '');
  return row;
}
