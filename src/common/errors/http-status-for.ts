import type { DomainErrorCode } from './domain-error';

const STATUS: Record<DomainErrorCode, number> = {
  not_found: 404,
  invalid_input: 400,
  conflict: 409,
  precondition_failed: 412,
  unauthorized: 401,
  forbidden: 403,
  upstream_unavailable: 503,
  internal: 500,
};

export function httpStatusFor(code: DomainErrorCode): number {
  return STATUS[code];
}
