import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../config';
import { ConfigError } from '../../config';
import { decodeSecretKey } from '../../config/env.schema';

/** Where payrisk keeps the data key it generated when PAYRISK_SECRET_KEY is not set. */
export function dataKeyPath(homeDir: string): string {
  return join(homeDir, 'secret.key');
}

export interface DataKey {
  key: Buffer;
  /** Where it came from, for messages: `PAYRISK_SECRET_KEY` or the file's path. */
  source: string;
}

/**
 * The key that seals stored Stripe keys: PAYRISK_SECRET_KEY when set, else `<home>/secret.key`,
 * generated on first use (32 random bytes, base64, mode 0600). The file is created with
 * `wx`, so it is never overwritten: losing it would make every stored key unreadable, and
 * two processes generating at once both end up with the first one's key.
 */
export function loadDataKey(config: Pick<AppConfig, 'dataKey' | 'homeDir'>): DataKey {
  if (config.dataKey) return { key: config.dataKey, source: 'PAYRISK_SECRET_KEY' };
  const path = dataKeyPath(config.homeDir);
  mkdirSync(config.homeDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = decodeSecretKey(readFileSync(path, 'utf8'));
  if (!key)
    throw new ConfigError(
      `${path}: expected 32 bytes as base64 or 64 hex digits (it seals the stored Stripe keys; restore it from a backup or set PAYRISK_SECRET_KEY)`,
    );
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new ConfigError(`${path} is readable by others (mode ${mode.toString(8)}): run \`chmod 600 ${path}\` and try again`);
  return { key, source: path };
}
