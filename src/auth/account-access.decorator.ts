import { SetMetadata } from '@nestjs/common';

export const ACCOUNT_ACCESS = 'payrisk:accountAccess';

/**
 * What a route needs besides a signed-in caller:
 * - `one` (the default): it acts for one Stripe account, chosen per request, and runs inside
 *   `runForAccount` for it;
 * - `across`: it answers about the caller themselves or every account they may see (the
 *   session, the cross-account overview), each account's part in that account's own scope;
 * - `instance-owner`: only the instance's owner (API_TOKEN, OWNER_EMAIL sessions) may call it,
 *   e.g. minting owner sign-in links or connecting new accounts.
 */
export type AccountAccess = 'one' | 'across' | 'instance-owner';

export const AcrossAccounts = () => SetMetadata(ACCOUNT_ACCESS, 'across' satisfies AccountAccess);
export const InstanceOwnerOnly = () => SetMetadata(ACCOUNT_ACCESS, 'instance-owner' satisfies AccountAccess);
