import type { DataSource } from 'typeorm';
import { normalizeCurrency } from '../common/money';
import { DomainError, invalidInput } from '../common/errors';
import { billedCurrencies, clientAccountId, insertDiscountRequest } from './persistence/discount-requests.query';

export interface NewDiscountRequest {
  amount: unknown;
  currency: unknown;
  note?: unknown;
  requestedAt?: unknown;
}

/** Haggling the owner logs by hand (phone, email): validated, attached to a known client. */
export class DiscountRequestService {
  constructor(private readonly dataSource: DataSource) {}

  /** `options.force` logs it in a currency the client has never been billed in (otherwise refused: a typo would count as a discount). */
  async add(
    clientId: string,
    input: NewDiscountRequest,
    createdBy: 'api' | 'cli' | 'demo' | 'dashboard',
    now: Date,
    options: { force?: boolean } = {},
  ): Promise<{ id: string }> {
    if (typeof input.amount !== 'number' || !Number.isSafeInteger(input.amount) || input.amount <= 0) {
      throw invalidInput('amount: expected a positive whole number of minor units (e.g. 5000 for €50.00)', { field: 'amount' });
    }
    const currency = normalizeCurrency(String(input.currency ?? '')); // a MoneyInputError (400, field currency) when it is not one
    if (input.note !== undefined && typeof input.note !== 'string') throw invalidInput('note: expected text', { field: 'note' });
    const requestedAt = input.requestedAt === undefined ? now : new Date(String(input.requestedAt));
    if (Number.isNaN(requestedAt.getTime())) throw invalidInput('requestedAt: expected an ISO date', { field: 'requestedAt' });
    const manager = this.dataSource.manager;
    const stripeAccountId = await clientAccountId(manager, clientId);
    if (stripeAccountId === undefined) {
      // The owner types this id by hand: say what to check, not just that it failed.
      throw new DomainError(
        'not_found',
        `Client ${clientId} not found: no synced Stripe customer has this id (check it, or run "payrisk sync" if the customer is new)`,
        { id: clientId },
      );
    }
    if (!options.force) {
      const billed = await billedCurrencies(manager, clientId);
      if (billed.length > 0 && !billed.includes(currency)) {
        throw invalidInput(
          `currency: ${clientId} is billed in ${billed.map((c) => c.toUpperCase()).join(', ')}, not ${currency.toUpperCase()} (--force to log it anyway)`,
          { field: 'currency' },
        );
      }
    }
    return insertDiscountRequest(manager, { stripeAccountId, clientId, currency, amount: input.amount, note: input.note ?? null, requestedAt, createdBy });
  }
}
