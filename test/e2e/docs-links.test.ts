import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** The README and docs/ link only to what the repository holds (or to the web). */
describe('documentation links', () => {
  const pages = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => join('docs', f)),
  ];

  it.each(pages)('%s links only files that exist in the repository', (page) => {
    const text = readFileSync(join(ROOT, page), 'utf8');
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^(https?:|mailto:|#)/.test(t));
    const missing = targets.filter((target) => {
      const file = resolve(ROOT, dirname(page), target.split('#')[0]);
      return !file.startsWith(`${ROOT}/`) || !existsSync(file);
    });
    expect(missing).toEqual([]);
  });
});
