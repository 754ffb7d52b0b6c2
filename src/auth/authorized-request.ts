import type { Request } from 'express';
import type { WebSession } from '../web-session/web-session.service';
import type { AccessibleAccount, Principal } from './principal';

/** What the guard leaves on a request it let in (none of it on @Public() routes). */
export type AuthorizedRequest = Request & {
  /** Set when the caller signed in with the dashboard's cookie. */
  webSession?: WebSession;
  principal?: Principal;
  /** Every account the caller may see, by name. */
  accessibleAccounts?: AccessibleAccount[];
  /** The account this request acts for (routes of the default kind, see AccountAccess). */
  actingAccount?: AccessibleAccount;
};

/** The header that picks the account a request acts for (default: the session's selected account, else the only one). */
export const ACCOUNT_HEADER = 'payrisk-account';
