import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Stripe keys and webhook secrets at rest: AES-256-GCM under payrisk's data key.
 *
 * A sealed value is one byte string: `[version 1 byte][IV 12 bytes][auth tag 16 bytes][ciphertext]`.
 * The version byte names the key and the algorithm it was sealed with, so a later key
 * rotation can read old values and re-seal them; only version 1 exists today. Every value
 * gets a fresh random IV (GCM must never reuse one under the same key). The `context`
 * (e.g. `acct_123:api_key`) is authenticated but not stored: a value copied onto another
 * account's row, or into another column, fails to open instead of being used there.
 */
export const SECRET_FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
export const DATA_KEY_BYTES = 32;

/** Why a sealed value could not be opened; the message says what to check. */
export class SecretCipherError extends Error {
  constructor(
    readonly reason: 'bad_key' | 'unknown_version' | 'malformed' | 'not_authentic',
    message: string,
  ) {
    super(message);
    this.name = 'SecretCipherError';
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== DATA_KEY_BYTES) throw new SecretCipherError('bad_key', `the data key must be ${DATA_KEY_BYTES} bytes (got ${key.length})`);
}

const aad = (version: number, context: string) => Buffer.concat([Buffer.from([version]), Buffer.from(context, 'utf8')]);

/** Encrypts `plaintext` for storage; `context` must be given again to open it. */
export function sealSecret(plaintext: string, key: Buffer, context: string): Buffer {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(SECRET_FORMAT_VERSION, context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([SECRET_FORMAT_VERSION]), iv, cipher.getAuthTag(), ciphertext]);
}

/** Decrypts a value made by sealSecret; throws SecretCipherError when the key, the context or a byte is not the original. */
export function openSecret(sealed: Buffer, key: Buffer, context: string): string {
  checkKey(key);
  if (sealed.length < HEADER_BYTES) throw new SecretCipherError('malformed', `a sealed secret is at least ${HEADER_BYTES} bytes (got ${sealed.length})`);
  const version = sealed[0];
  if (version !== SECRET_FORMAT_VERSION)
    throw new SecretCipherError(
      'unknown_version',
      `sealed with key version ${version}, which this payrisk does not know (it reads version ${SECRET_FORMAT_VERSION})`,
    );
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad(version, context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    // GCM cannot tell a wrong key from altered bytes: both fail the tag.
    throw new SecretCipherError('not_authentic', 'the data key is not the one it was sealed with, or the stored value was altered');
  }
}
