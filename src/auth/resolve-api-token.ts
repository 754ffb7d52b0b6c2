import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config';

/**
 * The bearer token for /api. Secure by default: without API_TOKEN a random token is
 * generated once and kept in `<home>/api-token` (mode 600), never an open API.
 */
export function resolveApiToken(config: AppConfig): { token: string; source: 'env' | string } {
  if (config.api.token) return { token: config.api.token, source: 'env' };
  const file = join(config.homeDir, 'api-token');
  if (!existsSync(file)) {
    mkdirSync(config.homeDir, { recursive: true, mode: 0o755 });
    writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  }
  return { token: readFileSync(file, 'utf8').trim(), source: file };
}
