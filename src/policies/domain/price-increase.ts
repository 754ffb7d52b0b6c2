import { formatMoney, Money } from '../../common/money';
import { DAY_MS } from '../../common/time';

/** A unit price raised by `percent`, rounded half-up to the currency's minor unit. */
export function raisedUnitAmount(unitAmount: number, percent: number): number {
  // Scale to basis points first so 12.5% on 999 is exact integer maths, not 999 * 1.125.
  const basisPoints = Math.round(percent * 100);
  return Math.floor((unitAmount * (10_000 + basisPoints) + 5_000) / 10_000);
}

/** The first day the new price applies: the notice period after today, at 00:00 UTC. */
export function effectiveDate(now: Date, noticeDays: number): Date {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return new Date(day.getTime() + noticeDays * DAY_MS);
}

export interface PriceChange {
  description: string;
  from: Money;
  to: Money;
}

/** The notice the owner sends the client: plain, polite, and with a way out. */
export function draftNotice(clientName: string, percent: number, effective: Date, changes: PriceChange[]): string {
  const date = effective.toISOString().slice(0, 10);
  const lines = changes.length
    ? changes.map((change) => `- ${change.description}: ${formatMoney(change.from)} → ${formatMoney(change.to)}`).join('\n')
    : `- our rates for your work rise by ${percent}%`;
  return [
    `Dear ${clientName},`,
    '',
    `From ${date} our prices for your account change as follows:`,
    lines,
    '',
    `If you would rather not continue on these terms, just reply before ${date} and we will wind our work down in good order; nothing changes until then.`,
    '',
    'Thank you for working with us.',
  ].join('\n');
}
