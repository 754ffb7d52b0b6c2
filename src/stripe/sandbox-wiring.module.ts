import { DynamicModule, Module } from '@nestjs/common';
import { SANDBOX_WEBHOOK_URL } from './stripe.tokens';

/** Carries the server's own webhook URL to the in-process sandbox (null: the sandbox sends none, as in tests). */
@Module({})
export class SandboxWiringModule {
  static forRoot(webhookUrl: string | null): DynamicModule {
    return { module: SandboxWiringModule, global: true, providers: [{ provide: SANDBOX_WEBHOOK_URL, useValue: webhookUrl }], exports: [SANDBOX_WEBHOOK_URL] };
  }
}
