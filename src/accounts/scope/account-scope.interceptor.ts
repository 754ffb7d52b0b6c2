import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { runForAccount } from '../../database/account-scope';
import { instanceAccountId } from './instance-account';

/**
 * Every controller's handler (the API, the approval pages, the Connect pages, the webhook
 * deliveries Express passes on) runs in the scope of the account it serves, so its queries
 * see that account's rows and no other (row-level security, migration 1764700000000). Today
 * that is the server's account; guards run before it and read only unscoped tables
 * (sessions, sign-in codes). TODO(accountrt): the account a token, session or link names.
 */
@Injectable()
export class AccountScopeInterceptor implements NestInterceptor {
  constructor(private readonly moduleRef: ModuleRef) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const account = instanceAccountId(this.moduleRef);
    return from(runForAccount(account, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
