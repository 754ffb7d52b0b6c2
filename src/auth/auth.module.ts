import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { WebSessionModule } from '../web-session/web-session.module';
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
      ],
      exports: [API_TOKEN],
    };
  }
}
