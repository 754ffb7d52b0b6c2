import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * Routes Nest's static Logger (used by services such as the outbox sender) into the
 * command's pino logger, so one-shot commands keep every log line off stdout.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: () => Logger) {}

  log(message: unknown, context?: string): void {
    this.logger().info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger().error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger().warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger().debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger().trace({ context }, String(message));
  }
}
