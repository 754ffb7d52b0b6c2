import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

function policyFile(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'payrisk-cfg-')), 'policy.yaml');
  writeFileSync(file, yaml);
  return file;
}

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('serves embedded defaults with an empty environment', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.port).toBe(3000);
    expect(config.homeDir).toBe('/srv/app/.payrisk');
    expect(config.database.url).toBeUndefined();
    expect(config.stripe.secretKey).toBeUndefined();
    expect(config.mail.smtpUrl).toBeUndefined();
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.policy.detection.graceDays).toBe(3);
    expect(config.policy.lateFee.mode).toBe('approve');
  });

  it('reads every variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/payrisk',
      STRIPE_SECRET_KEY: 'sk_test_abc123',
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      MAIL_FROM: 'payrisk <p@example.com>',
      OWNER_EMAIL: 'owner@example.com',
      PORT: '8080',
      API_TOKEN: '0123456789abcdef0123',
      PUBLIC_URL: 'https://payrisk.example.com/',
    });
    expect(config.port).toBe(8080);
    expect(config.database.url).toBe('postgres://u:p@db:5432/payrisk');
    expect(config.stripe).toEqual({ secretKey: 'sk_test_abc123', apiBase: 'http://127.0.0.1:12111', webhookSecret: 'whsec_abc' });
    expect(config.mail).toEqual({ smtpUrl: 'smtp://127.0.0.1:2525', from: 'payrisk <p@example.com>', ownerEmail: 'owner@example.com' });
    expect(config.publicUrl).toBe('https://payrisk.example.com');
  });

  it('reads STRIPE_CONNECT_CLIENT_ID (ca_…) and names it with where to find it when it is not one', () => {
    expect(loadConfig({ STRIPE_CONNECT_CLIENT_ID: 'ca_32D88BD1qLklliziD7gYQvctJIhWBSQ7' }).stripe.connectClientId).toBe('ca_32D88BD1qLklliziD7gYQvctJIhWBSQ7');
    expect(loadConfig({}).stripe.connectClientId).toBeUndefined();
    const error = errorOf(() => loadConfig({ STRIPE_CONNECT_CLIENT_ID: 'sk_test_notaclientid' }));
    expect(error.message).toContain('STRIPE_CONNECT_CLIENT_ID: expected the Connect client id starting with ca_');
    expect(error.message).toContain('Settings → Connect');
  });

  it.each([['abc'], ['0'], ['70000'], ['80.5']])('rejects PORT=%s naming the variable', (port) => {
    const error = errorOf(() => loadConfig({ PORT: port }));
    expect(error.message).toContain('PORT: expected an integer port between 1 and 65535');
    expect(error.message).toContain(JSON.stringify(port));
  });

  it('never echoes a secret value back in the error', () => {
    const error = errorOf(() => loadConfig({ STRIPE_SECRET_KEY: 'pk_live_should_not_be_printed' }));
    expect(error.message).toContain('STRIPE_SECRET_KEY');
    expect(error.message).not.toContain('pk_live_should_not_be_printed');
  });

  it('decodes PAYRISK_SECRET_KEY from hex or base64, and names it without echoing a bad value', () => {
    const bytes = Buffer.alloc(32, 7);
    expect(loadConfig({ PAYRISK_SECRET_KEY: bytes.toString('hex') }).dataKey).toEqual(bytes);
    expect(loadConfig({ PAYRISK_SECRET_KEY: bytes.toString('base64') }).dataKey).toEqual(bytes);
    expect(loadConfig({}).dataKey).toBeUndefined();
    for (const bad of ['too-short-secret-value', Buffer.alloc(16, 7).toString('base64'), Buffer.alloc(33, 7).toString('hex')]) {
      const error = errorOf(() => loadConfig({ PAYRISK_SECRET_KEY: bad }));
      expect(error.message).toContain('PAYRISK_SECRET_KEY: expected 32 random bytes as 64 hex digits or base64');
      expect(error.message).not.toContain(bad);
    }
  });

  it('rejects an unknown policy key with its YAML path', () => {
    const file = policyFile('policies:\n  lateFee:\n    enabeld: true\n');
    const error = errorOf(() => loadConfig({ PAYRISK_CONFIG: file }));
    expect(error.message).toContain(file);
    expect(error.message).toContain('policies.lateFee.enabeld: unknown key');
  });

  it('rejects a negative grace period with its YAML path', () => {
    const file = policyFile('detection:\n  graceDays: -3\n');
    const error = errorOf(() => loadConfig({ PAYRISK_CONFIG: file }));
    expect(error.message).toContain('detection.graceDays: graceDays must be 0 or more (got -3)');
  });

  it('rejects a missing policy file and broken YAML', () => {
    expect(errorOf(() => loadConfig({ PAYRISK_CONFIG: '/nonexistent/policy.yaml' })).message).toContain('PAYRISK_CONFIG: file not found');
    expect(errorOf(() => loadConfig({ PAYRISK_CONFIG: policyFile('detection: [unclosed\n') })).message).toContain('YAML syntax');
  });

  it('lets a policy file override the defaults and keeps the rest', () => {
    const config = loadConfig({ PAYRISK_CONFIG: policyFile('detection:\n  graceDays: 10\npolicies:\n  lateFee:\n    enabled: true\n    mode: auto\n') });
    expect(config.policy.detection.graceDays).toBe(10);
    expect(config.policy.detection.lookbackDays).toBe(365);
    expect(config.policy.lateFee).toMatchObject({ enabled: true, mode: 'auto', preset: 'monthly-1.5-percent' });
  });
});
