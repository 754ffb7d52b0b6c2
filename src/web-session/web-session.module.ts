import { Global, Module } from '@nestjs/common';
import { SessionController } from './session.controller';
import { WebSessionService } from './web-session.service';

/** The dashboard's sign-in and sessions; the auth guard reads sessions through WebSessionService. */
@Global()
@Module({
  controllers: [SessionController],
  providers: [WebSessionService],
  exports: [WebSessionService],
})
export class WebSessionModule {}
