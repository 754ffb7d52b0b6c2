import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => !!p);

/**
 * The machine's Chromium, or undefined. Pages are tested in a real browser; a developer
 * machine without one skips those tests with a warning, CI (PAYRISK_REQUIRE_BROWSER=1)
 * installs Chromium and fails if it is missing.
 */
export function chromiumPath(): string | undefined {
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found && process.env.PAYRISK_REQUIRE_BROWSER === '1') throw new Error('Chromium is required (PAYRISK_REQUIRE_BROWSER=1): apt-get install chromium, or set CHROMIUM_PATH');
  if (!found) console.warn('No Chromium found: browser tests skipped (apt-get install chromium, or set CHROMIUM_PATH)');
  return found;
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    // A fresh temporary profile each launch (Playwright's default). Closed network: without
    // these flags Chromium's background services fail noisily at start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
