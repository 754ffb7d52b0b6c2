import { resolveApiToken } from '../../auth/resolve-api-token';
import type { AppConfig } from '../../config';
import type { PipelineOutcome } from '../../demo/sandbox-pipeline.service';
import { readLiveRuntime, runtimeFilePath } from '../../runtime/runtime-file';
import { parseDuration } from '../../demo/duration';
import { CliError } from '../cli-error';
import { DAY_SECONDS as DAY } from '../../common/time';

/**
 * For moves of a week or more: every couple of seconds, where the sandbox's clock has got
 * to (its control endpoint, found through runtime.json), until the server answers.
 * Returns the function that stops it.
 */
function followSandboxClock(sandboxUrl: string, duration: string): (reachedIso?: string) => void {
  const seconds = parseDuration(duration);
  if (seconds < 7 * DAY) return () => undefined;
  const total = Math.floor(seconds / DAY);
  let from: number | undefined;
  let last = '';
  let seen = false;
  const poll = async (): Promise<void> => {
    try {
      const clock = (await (await fetch(`${sandboxUrl}/_sandbox/clock`)).json()) as { now: number; advancing?: boolean };
      from ??= clock.now;
      const days = Math.min(Math.floor(seconds / DAY), Math.max(0, Math.floor((clock.now - from) / DAY)));
      seen ||= clock.advancing === true;
      if (!seen) return;
      const line = clock.advancing
        ? `  … sandbox clock at ${new Date(clock.now * 1000).toISOString().slice(0, 10)} (${days} of ${Math.floor(seconds / DAY)} days)`
        : '  … catching the ledger up (sync, detect, policies, emails)';
      if (line !== last) console.log(line);
      last = line;
    } catch {
      // the server's answer says what went wrong
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), 2_000);
  // A fast move can end between two polls: the last line always says where the clock got to.
  return (reachedIso) => {
    clearInterval(timer);
    if (reachedIso) console.log(`  … sandbox clock at ${reachedIso.slice(0, 10)} (${total} of ${total} days)`);
  };
}

/**
 * `payrisk sandbox advance 7d`: moves the clock of the sandbox inside a running
 * `payrisk start` (found through `<home>/runtime.json`, or --server URL; through its API,
 * with the same token), which then syncs, detects, applies the policies and sends the emails.
 */
export async function sandboxAdvanceCommand(config: AppConfig, duration: string, options: { server?: string }): Promise<void> {
  const running = options.server ? undefined : readLiveRuntime(config.homeDir);
  if (!options.server && !running) {
    throw new CliError(
      `no payrisk server is running on ${config.homeDir} (no live ${runtimeFilePath(config.homeDir)}): ` +
        `start it with \`npm start\` (or \`payrisk start\`) in this folder, or pass --server URL.`,
    );
  }
  const server = (options.server ?? running?.http.url ?? '').replace(/\/+$/, '');
  const { token } = resolveApiToken(config);
  const progress = running?.sandbox ? followSandboxClock(running.sandbox.url, duration) : () => undefined;
  let response: Response;
  try {
    response = await fetch(`${server}/api/sandbox/advance`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ duration }),
    });
  } catch {
    progress();
    throw new CliError(`no payrisk server answers at ${server}${running ? ` (pid ${running.pid})` : ''}: start it with \`npm start\` (or pass --server URL)`);
  }
  const body = (await response.json().catch(() => ({}))) as PipelineOutcome & { error?: { message?: string } };
  progress(response.ok ? body.sandboxNow : undefined);
  if (!response.ok) throw new CliError(`the server at ${server} refused: ${body.error?.message ?? `HTTP ${response.status}`}`);
  const synced = Object.entries(body.synced)
    .filter(([, n]) => n > 0)
    .map(([type, n]) => `${n} ${type}`)
    .join(', ');
  console.log(`Sandbox time is now ${body.sandboxNow}.`);
  console.log(
    `${synced ? `Caught up ${synced}` : 'The ledger was already current (webhooks)'}; ` +
      `${body.actionsCreated} new action(s), ${body.actionsApplied} applied; ${body.emailsSent} email(s) sent.`,
  );
}
