import { randomBytes } from 'node:crypto';
import { openSecret, sealSecret, SECRET_FORMAT_VERSION, SecretCipherError } from './secret-cipher';

const key = randomBytes(32);
const reasonOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof SecretCipherError) return error.reason;
    throw error;
  }
  throw new Error('expected a SecretCipherError');
};

describe('secret cipher (AES-256-GCM)', () => {
  it('opens what it sealed, and the sealed bytes do not contain the secret', () => {
    const secret = 'sk_test_51abcDEFghiJKLmnoPQRstu';
    const sealed = sealSecret(secret, key, 'acct_1:api_key');
    expect(openSecret(sealed, key, 'acct_1:api_key')).toBe(secret);
    expect(sealed.includes(Buffer.from(secret))).toBe(false);
    expect(sealed[0]).toBe(SECRET_FORMAT_VERSION);
    expect(sealed.length).toBe(1 + 12 + 16 + Buffer.byteLength(secret));
  });

  it('uses a fresh IV each time: the same secret seals to different bytes', () => {
    const a = sealSecret('whsec_same', key, 'c');
    const b = sealSecret('whsec_same', key, 'c');
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it.each([
    ['a ciphertext byte', 30],
    ['the auth tag', 14],
    ['the IV', 2],
  ])('refuses a value with %s altered', (_what, index) => {
    const sealed = sealSecret('rk_live_secret', key, 'c');
    sealed[index] ^= 0x01;
    expect(reasonOf(() => openSecret(sealed, key, 'c'))).toBe('not_authentic');
  });

  it('refuses another key, another context, an unknown version and a truncated value', () => {
    const sealed = sealSecret('sk_live_x', key, 'acct_1:api_key');
    expect(reasonOf(() => openSecret(sealed, randomBytes(32), 'acct_1:api_key'))).toBe('not_authentic');
    expect(reasonOf(() => openSecret(sealed, key, 'acct_2:api_key'))).toBe('not_authentic');
    const future = Buffer.from(sealed);
    future[0] = 2;
    expect(reasonOf(() => openSecret(future, key, 'acct_1:api_key'))).toBe('unknown_version');
    expect(reasonOf(() => openSecret(sealed.subarray(0, 20), key, 'acct_1:api_key'))).toBe('malformed');
    expect(reasonOf(() => sealSecret('x', randomBytes(16), 'c'))).toBe('bad_key');
  });
});
