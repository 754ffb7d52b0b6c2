import { Global, Module } from '@nestjs/common';
import { CLOCK, ServerClock } from './clock';

@Global()
@Module({ providers: [{ provide: CLOCK, useClass: ServerClock }], exports: [CLOCK] })
export class CommonModule {}
