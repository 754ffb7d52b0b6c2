import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { WebSessionModule } from '../web-session/web-session.module';
import { AccountScopeInterceptor } from './account-scope.interceptor';
import { API_TOKEN, ApiTokenGuard } from './api-token.guard';

@Module({})
export class AuthModule {
  static forRoot(token: string): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [WebSessionModule],
      providers: [
        { provide: API_TOKEN, useValue: token },
        { provide: APP_GUARD, useClass: ApiTokenGuard },
        { provide: APP_INTERCEPTOR, useClass: AccountScopeInterceptor },
      ],
      exports: [API_TOKEN],
    };
  }
}
