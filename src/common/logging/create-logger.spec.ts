import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger, REDACTED_PATHS, redactUrl } from './create-logger';

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

describe('createLogger with a log file (payrisk start on the built-in sandbox)', () => {
  it('writes every line to the file (0600, folders created) and keeps secrets out of it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'payrisk-log-'));
    const file = join(dir, 'logs', 'payrisk.log');
    const logger = createLogger('info', { file, pretty: false });
    logger.info({ stripe: { secretKey: 'sk_test_FileLeak1' } }, 'an info line for the file');
    logger.flush();
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('an info line for the file');
    expect(text).not.toContain('sk_test_FileLeak1');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
