import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACTED_PATHS, redactUrl } from './create-logger';

describe('logging never prints secrets', () => {
  it('censors auth headers, webhook signatures and secret-named fields', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    logger.info({ req: { headers: { authorization: 'Bearer abcdef', 'stripe-signature': 't=1,v1=xyz' } }, stripe: { secretKey: 'sk_test_123' } }, 'request');
    const output = lines.join('');
    expect(output).not.toContain('abcdef');
    expect(output).not.toContain('v1=xyz');
    expect(output).not.toContain('sk_test_123');
    expect(output).toContain('[redacted]');
  });

  it('hides the password of a connection URL', () => {
    expect(redactUrl('postgres://payrisk:s3cret@127.0.0.1:5432/payrisk')).toBe('postgres://payrisk:***@127.0.0.1:5432/payrisk');
  });
});
