import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors';
import { findPerson, grantsOf, hashApiToken, instanceAccounts, useApiToken, type Grant } from '../people';
import type { StripeConnection } from '../stripe/stripe-connection';
import { STRIPE_CONNECTION } from '../stripe/stripe.tokens';
import { CSRF_HEADER, readCookie, SESSION_COOKIE, WebSessionService } from '../web-session/web-session.service';
import { ACCOUNT_ACCESS, type AccountAccess } from './account-access.decorator';
import { ACCOUNT_HEADER, type AuthorizedRequest } from './authorized-request';
import { accessibleAccounts, chooseAccount, type Principal } from './principal';
import { IS_PUBLIC } from './public.decorator';

export const API_TOKEN = Symbol('API_TOKEN');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ACCOUNT_ID = /^acct_[A-Za-z0-9_]{1,250}$/;

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Every route except those marked @Public() needs one of:
 * - the instance's bearer `API_TOKEN` (scripts, as the owner), or a token made with
 *   `payrisk tokens create` (for one account, or for one person), or
 * - the dashboard's session cookie (people); a state-changing request must also carry the
 *   session's CSRF token in `X-CSRF-Token` (a cross-site form or fetch cannot read it).
 * Then it works out which accounts the caller may see and, for a route that acts for one
 * account, which one (AccountScopeInterceptor runs the handler in its scope). An accountant
 * reads only.
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_TOKEN) private readonly token: string,
    private readonly sessions: WebSessionService,
    private readonly dataSource: DataSource,
    private readonly modules: ModuleRef,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const access = this.reflector.getAllAndOverride<AccountAccess | undefined>(ACCOUNT_ACCESS, targets) ?? 'one';
    const request = context.switchToHttp().getRequest<AuthorizedRequest>();
    const { principal, grants } = await this.principalOf(request);
    if (access === 'instance-owner' && principal.kind !== 'owner')
      throw new DomainError('forbidden', "Only the instance's owner may do this (the API_TOKEN, or a sign-in link to OWNER_EMAIL)");

    const accounts = await instanceAccounts(this.dataSource.manager, this.environmentAccountId());
    const accessible = accessibleAccounts(principal, accounts, grants);
    request.principal = principal;
    request.accessibleAccounts = accessible;
    if (access !== 'one') return true;

    const acting = chooseAccount(
      accessible,
      this.requestedAccount(
        request,
        accessible.map((a) => a.stripeAccountId),
      ),
    );
    if (acting.role === 'accountant' && !SAFE_METHODS.has(request.method))
      throw new DomainError('forbidden', `Your access to ${acting.name} is an accountant's: you can read everything, and its owner decides`);
    request.actingAccount = acting;
    return true;
  }

  private async principalOf(request: AuthorizedRequest): Promise<{ principal: Principal; grants: Grant[] }> {
    const header = request.headers.authorization;
    if (header) {
      const presented = /^Bearer\s+(.+)$/i.exec(header)?.[1] ?? '';
      if (sameSecret(presented, this.token)) return { principal: { kind: 'owner', via: 'token' }, grants: [] };
      const stored = await useApiToken(this.dataSource.manager, hashApiToken(presented));
      if (stored?.stripeAccountId) return { principal: { kind: 'account', stripeAccountId: stored.stripeAccountId, tokenName: stored.name }, grants: [] };
      const person = stored?.personId ? await findPerson(this.dataSource.manager, stored.personId) : undefined;
      if (person) return { principal: { kind: 'person', person, via: 'token' }, grants: await grantsOf(this.dataSource.manager, person.id) };
      throw new DomainError(
        'unauthorized',
        'Missing or wrong bearer token: send "Authorization: Bearer <API_TOKEN>" (or a token from "payrisk tokens create")',
      );
    }
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!cookie) throw new DomainError('unauthorized', 'Missing or wrong bearer token: send "Authorization: Bearer <API_TOKEN>" (or sign in to the dashboard)');
    const session = await this.sessions.find(cookie);
    if (!session) throw new DomainError('unauthorized', 'Your dashboard session has ended: sign in again');
    if (!SAFE_METHODS.has(request.method)) {
      const csrf = request.headers[CSRF_HEADER];
      if (typeof csrf !== 'string' || !sameSecret(csrf, session.csrfToken))
        throw new DomainError('forbidden', 'Missing or wrong X-CSRF-Token header for this session');
    }
    request.webSession = session;
    if (session.personId === null) return { principal: { kind: 'owner', via: 'session' }, grants: [] };
    const person = await findPerson(this.dataSource.manager, session.personId);
    if (!person) throw new DomainError('unauthorized', 'Your dashboard session has ended: sign in again');
    return { principal: { kind: 'person', person, via: 'session' }, grants: await grantsOf(this.dataSource.manager, person.id) };
  }

  /** The Payrisk-Account header (validated), else the account the session's switcher selected while the caller may still see it. */
  private requestedAccount(request: AuthorizedRequest, accessible: string[]): string | undefined {
    const header = request.headers[ACCOUNT_HEADER];
    if (header !== undefined) {
      if (typeof header !== 'string' || !ACCOUNT_ID.test(header)) {
        const message = 'expected one Stripe account id (acct_…)';
        throw new DomainError('invalid_input', `Payrisk-Account: ${message}`, { field: 'Payrisk-Account', issues: [{ path: 'Payrisk-Account', message }] });
      }
      return header;
    }
    const selected = request.webSession?.stripeAccountId ?? undefined;
    return selected && accessible.includes(selected) ? selected : undefined;
  }

  /** The environment's account (STRIPE_SECRET_KEY or the built-in sandbox), read once the app is up. */
  private environmentAccountId(): string {
    return this.modules.get<StripeConnection>(STRIPE_CONNECTION, { strict: false }).accountId;
  }
}
