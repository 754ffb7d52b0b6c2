import { DomainError } from '../errors/domain-error';

/**
 * Text that is not an amount or a currency code, as people type them (`--amount 12,50`,
 * `--currency euro`): an `invalid_input` domain error, so the HTTP filter answers 400 and the
 * CLI prints the message, with no re-wrapping. Amounts that are not integers of minor units
 * inside payrisk (a bug, or a row beyond 2^53) stay `RangeError`: those are 5xx.
 */
export class MoneyInputError extends DomainError {
  declare readonly details: { field: 'amount' | 'currency' };

  constructor(message: string, details: { field: 'amount' | 'currency' }) {
    super('invalid_input', message, details);
    this.name = 'MoneyInputError';
  }
}
