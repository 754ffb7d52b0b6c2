import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config';

/**
 * The key that signs one-click links in the owner's emails (approve/reject).
 * Derived from API_TOKEN when set (so every instance agrees), otherwise a random
 * secret kept in `<home>/link-secret`.
 */
export function resolveLinkSecret(config: AppConfig): string {
  if (config.api.token) return createHmac('sha256', config.api.token).update('payrisk:approval-links').digest('hex');
  const file = join(config.homeDir, 'link-secret');
  if (!existsSync(file)) {
    mkdirSync(config.homeDir, { recursive: true, mode: 0o755 });
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}
