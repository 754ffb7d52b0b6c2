import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => !!p);

/** Whether a missing Chromium must fail the run: CI (which sets `CI`), or anyone who sets PAYRISK_REQUIRE_BROWSER=1. */
export function browserRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  return ci || env.PAYRISK_REQUIRE_BROWSER === '1';
}

/**
 * The machine's Chromium, or undefined. Pages are tested in a real browser. Where one is
 * required (CI, or PAYRISK_REQUIRE_BROWSER=1) a missing Chromium throws, so the browser test
 * file fails instead of skipping. On a developer machine without one the tests are skipped
 * (jest counts them as skipped) under a warning that names how many files skipped and why.
 */
export function chromiumPath(candidates: string[] = CANDIDATES, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  const how = 'apt-get install chromium, or set CHROMIUM_PATH';
  if (browserRequired(env))
    throw new Error(`Chromium is required here (CI or PAYRISK_REQUIRE_BROWSER=1) and none was found at ${candidates.join(', ')}: ${how}`);
  skippedFiles += 1;
  process.stderr.write(
    `\n!! NO CHROMIUM: the browser tests in this file are SKIPPED (${skippedFiles} browser test file(s) skipped in this worker so far).\n` +
      `!! They are not passing; they did not run. ${how}. CI fails instead of skipping.\n\n`,
  );
  return undefined;
}

let skippedFiles = 0;

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    // A fresh temporary profile each launch (Playwright's default). Closed network: without
    // these flags Chromium's background services fail noisily at start.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
