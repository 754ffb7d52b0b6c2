import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, Observable } from 'rxjs';
import { runForAccount } from '../database/account-scope';
import type { AuthorizedRequest } from './authorized-request';

/**
 * Runs the handler of every request that acts for one account (the guard chose it) inside
 * `runForAccount(thatAccount)`: its queries see only that account's rows (row-level security)
 * and what it sends goes out for that account. Routes across accounts and public routes are
 * left as they are (each scopes its own work).
 */
@Injectable()
export class AccountScopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const account = context.switchToHttp().getRequest<AuthorizedRequest>().actingAccount;
    if (!account) return next.handle();
    return from(runForAccount(account.stripeAccountId, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
