import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLiveRuntime, runtimeFilePath, writeRuntimeFile, type RuntimeRecord } from './runtime-file';

const record = (pid: number): RuntimeRecord => ({
  pid,
  startedAt: '2026-01-01T00:00:00.000Z',
  http: { url: 'http://127.0.0.1:3000' },
  database: { url: 'postgres://u:p@127.0.0.1:5/payrisk', embedded: true },
});

describe('the runtime file', () => {
  it('is written 0600 and removed by its writer only', () => {
    const home = mkdtempSync(join(tmpdir(), 'payrisk-runtime-'));
    const remove = writeRuntimeFile(home, record(process.ppid));
    expect(statSync(runtimeFilePath(home)).mode & 0o777).toBe(0o600);
    // The parent (jest's runner) is alive: a live server.
    expect(readLiveRuntime(home)?.pid).toBe(process.ppid);
    remove();
    expect(existsSync(runtimeFilePath(home))).toBe(false);
  });

  it('names no server when its process is gone (kill -9) or the file is garbage', () => {
    const home = mkdtempSync(join(tmpdir(), 'payrisk-runtime-'));
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    writeFileSync(runtimeFilePath(home), JSON.stringify(record(dead)));
    expect(readLiveRuntime(home)).toBeUndefined();
    writeFileSync(runtimeFilePath(home), '{"pid":');
    expect(readLiveRuntime(home)).toBeUndefined();
  });
});
