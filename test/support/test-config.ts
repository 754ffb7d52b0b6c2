import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, loadConfig } from '../../src/config';

/** A validated config for tests: defaults plus overrides, its home in a temp folder. */
export function testConfig(env: Record<string, string> = {}): AppConfig {
  const home = mkdtempSync(join(tmpdir(), 'payrisk-home-'));
  return loadConfig({ PAYRISK_HOME: home, LOG_LEVEL: 'silent', API_TOKEN: 'test-token-0123456789abcdef', ...env }, process.cwd());
}
