import { join } from 'node:path';
import type { AppConfig } from '../config';

/**
 * Where `payrisk start` writes its log on the built-in sandbox: `<home>/logs/payrisk.log`.
 * There a person reads the start-up summary on the terminal, and hundreds of boot lines
 * would bury it; only warnings and errors also reach the terminal. On a real Stripe
 * account (containers, services) the log stays on stdout, where log collectors read it.
 */
export function serverLogFile(config: AppConfig): string | undefined {
  return config.stripe.secretKey ? undefined : join(config.homeDir, 'logs', 'payrisk.log');
}
