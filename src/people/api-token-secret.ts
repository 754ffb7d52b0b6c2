import { createHash, randomBytes } from 'node:crypto';

/** Tokens made by `payrisk tokens create` start with this, so a leaked one is recognisable (and scanners can look for it). */
export const API_TOKEN_PREFIX = 'prk_';

export const hashApiToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A new token: shown once, stored as its SHA-256 only, told apart later by its hint (`prk_…wxyz`). */
export function newApiToken(): { token: string; tokenHash: string; hint: string } {
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, tokenHash: hashApiToken(token), hint: `${API_TOKEN_PREFIX}…${token.slice(-4)}` };
}
