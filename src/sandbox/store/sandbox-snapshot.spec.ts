import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../sandbox';
import { statePath } from './sandbox-snapshot';

describe('a persisted sandbox', () => {
  it('continues after a restart: same clients, invoices, payments and clock; another seed starts anew', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sandbox-state-')), 'sandbox');
    const first = await startSandbox({ port: 0, seed: 'demo', stateDir: dir, now: new Date('2026-06-01T00:00:00Z') });
    expect(first.restored).toBe(false);
    await first.advanceTime(20 * 86_400);
    const url = first.url;
    const list = async (base: string) => {
      const response = await fetch(`${base}/v1/invoices?limit=100`, { headers: { Authorization: `Bearer ${first.secretKey}` } });
      return ((await response.json()) as { data: Array<{ id: string; status: string; amount_paid: number }> }).data.map((i) => [i.id, i.status, i.amount_paid]);
    };
    const before = await list(url);
    const nowBefore = first.now().getTime();
    await first.stop();
    expect(statSync(statePath(dir)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(statePath(dir), 'utf8'))).toMatchObject({ seed: 'demo', randomSeed: 42 });

    const second = await startSandbox({ port: 0, seed: 'demo', stateDir: dir });
    try {
      expect(second.restored).toBe(true);
      expect(second.personas).toEqual(first.personas);
      expect(second.now().getTime()).toBeGreaterThanOrEqual(nowBefore);
      expect(second.now().getTime()).toBeLessThan(nowBefore + 60_000);
      expect(await list(second.url)).toEqual(before);
    } finally {
      await second.stop();
    }
    const other = await startSandbox({ port: 0, seed: 'demo', randomSeed: 7, stateDir: dir });
    expect(other.restored).toBe(false);
    await other.stop();
  });
});
