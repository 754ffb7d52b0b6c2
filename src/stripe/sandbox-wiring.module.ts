import { DynamicModule, Module } from '@nestjs/common';
import { SANDBOX_RUN, type SandboxRun } from './stripe.tokens';

/** Carries how this process runs the built-in sandbox (see SANDBOX_RUN) to the modules that need it. */
@Module({})
export class SandboxWiringModule {
  static forRoot(run: SandboxRun | null): DynamicModule {
    return { module: SandboxWiringModule, global: true, providers: [{ provide: SANDBOX_RUN, useValue: run }], exports: [SANDBOX_RUN] };
  }
}
