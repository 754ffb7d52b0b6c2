/**
 * Errors raised by payrisk's own rules. They carry a stable code; one HTTP filter
 * maps codes to statuses, and jobs log them without ever touching HTTP.
 */
export type DomainErrorCode =
  'not_found' | 'invalid_input' | 'conflict' | 'precondition_failed' | 'unauthorized' | 'forbidden' | 'upstream_unavailable' | 'internal';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string) => new DomainError('not_found', `${what} ${id} not found`, { id });
export const invalidInput = (message: string, details: Record<string, unknown> = {}) => new DomainError('invalid_input', message, details);
export const conflict = (message: string, details: Record<string, unknown> = {}) => new DomainError('conflict', message, details);
