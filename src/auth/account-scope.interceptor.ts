import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { from, lastValueFrom, Observable } from 'rxjs';
import { instanceAccountId } from '../accounts/scope/instance-account';
import { runForAccount } from '../database/account-scope';
import type { AuthorizedRequest } from './authorized-request';

/**
 * Runs every handler inside `runForAccount`, so its queries see only one account's rows
 * (row-level security, migration 1764700000000) and what it sends goes out for that account:
 * the account the guard chose for the request (a token's, the session's choice, the
 * `Payrisk-Account` header, or the only one); for public routes and routes across accounts,
 * the server's own account, under which each such route scopes its own work (an approval
 * link runs in its action's account, the accounts overview in each account's in turn).
 */
@Injectable()
export class AccountScopeInterceptor implements NestInterceptor {
  constructor(private readonly moduleRef: ModuleRef) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const acting = context.switchToHttp().getRequest<AuthorizedRequest>().actingAccount;
    const account = acting?.stripeAccountId ?? instanceAccountId(this.moduleRef);
    return from(runForAccount(account, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
