import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = resolve(__dirname, '..', '..', 'dist', 'src', 'cli.js');

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does it for you)`);
}

/** A working directory a fresh user would have; 0755 because as root, embedded Postgres runs as its own user. */
export function freshWorkdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'payrisk-e2e-'));
  chmodSync(dir, 0o755);
  return dir;
}

/** The environment of a new user: none of the runner's payrisk variables leak in. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info' };
  return { ...env, ...extra };
}

export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? freshWorkdir(),
    env: cleanEnv(options.env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Like runCli, without blocking this process: needed while a server spawned by this test
 * writes to a pipe this process must keep draining (a blocked test would stall the server).
 */
export function runCliAsync(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? freshWorkdir(),
      env: cleanEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolveRun({ status, stdout, stderr }));
  });
}

/** What `payrisk start` logged on the built-in sandbox: its log file `<home>/logs/payrisk.log` (empty before it exists). */
export function serverLog(home: string): string {
  const file = join(home, 'logs', 'payrisk.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

export interface ServerProcess {
  child: ChildProcess;
  output(): string;
  /** What it wrote to stderr alone (warnings, errors, the signal line). */
  errors(): string;
  exited: Promise<number | null>;
  /** Resolves once the process has exited and its stdout and stderr are closed: `output()` is then all it ever printed. */
  closed: Promise<number | null>;
}

export function spawnCli(args: string[], cwd: string, env: Record<string, string>): ServerProcess {
  let output = '';
  let errors = '';
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    errors += chunk.toString();
  });
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  const closed = new Promise<number | null>((resolveClose) => child.on('close', (code) => resolveClose(code)));
  return { child, output: () => output, errors: () => errors, exited, closed };
}

export async function waitForHealth(url: string, server: ServerProcess, timeoutMs = 60_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited early:\n${server.output()}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return response.json();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no healthy answer from ${url} within ${timeoutMs} ms:\n${server.output()}`);
}

/** Resolves once `payrisk start` has logged `text` to `<home>/logs/payrisk.log`: a point in its start-up to act at. */
export async function waitForServerLog(home: string, text: string, server: ServerProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (serverLog(home).includes(text)) return;
    if (server.child.exitCode !== null) throw new Error(`server exited before logging "${text}":\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`server did not log "${text}" within ${timeoutMs} ms:\n${server.output()}`);
}

/** Postgres processes whose command line mentions `dataDir`. */
export function postgresProcessesFor(dataDir: string): string[] {
  const result = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return result.stdout.split('\n').filter((line) => line.includes('postgres') && line.includes(dataDir));
}
