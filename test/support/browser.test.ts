import { browserRequired, chromiumPath } from './browser';

describe('the browser test helper: a missing Chromium is never a silent pass', () => {
  const nowhere = ['/nonexistent/chromium-for-payrisk-test'];

  it('fails (throws) where a browser is required: CI set, or PAYRISK_REQUIRE_BROWSER=1', () => {
    for (const env of [{ CI: 'true' }, { CI: '1' }, { PAYRISK_REQUIRE_BROWSER: '1' }, { CI: 'true', PAYRISK_REQUIRE_BROWSER: '0' }]) {
      expect(browserRequired(env)).toBe(true);
      expect(() => chromiumPath(nowhere, env)).toThrow(/Chromium is required here/);
    }
  });

  it('skips loudly on a developer machine: a warning on stderr that says the tests did not run', () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      for (const env of [{}, { CI: '' }, { CI: 'false' }, { CI: '0' }]) expect(browserRequired(env)).toBe(false);
      expect(chromiumPath(nowhere, {})).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toMatch(/NO CHROMIUM: the browser tests in this file are SKIPPED \(\d+ browser test file\(s\) skipped/);
    expect(writes.join('')).toContain('They are not passing; they did not run.');
  });

  it('finds an existing executable', () => {
    expect(chromiumPath([process.execPath], { CI: 'true' })).toBe(process.execPath);
  });
});
