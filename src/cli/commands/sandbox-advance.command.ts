import { resolveApiToken } from '../../auth/resolve-api-token';
import type { AppConfig } from '../../config';
import type { PipelineOutcome } from '../../demo/sandbox-pipeline.service';
import { readLiveRuntime, runtimeFilePath } from '../../runtime/runtime-file';
import { CliError } from '../cli-error';

/**
 * `payrisk sandbox advance 7d`: moves the clock of the sandbox inside a running
 * `payrisk start` (found through `<home>/runtime.json`, or --server URL; through its API,
 * with the same token), which then syncs, detects, applies the policies and sends the emails.
 */
export async function sandboxAdvanceCommand(config: AppConfig, duration: string, options: { server?: string }): Promise<void> {
  const running = options.server ? undefined : readLiveRuntime(config.homeDir);
  if (!options.server && !running) {
    throw new CliError(
      `no payrisk server is running on ${config.homeDir} (no live ${runtimeFilePath(config.homeDir)}): start it with \`npm start\` (or \`payrisk start\`) in this folder, or pass --server URL.`,
    );
  }
  const server = (options.server ?? running?.http.url ?? '').replace(/\/+$/, '');
  const { token } = resolveApiToken(config);
  let response: Response;
  try {
    response = await fetch(`${server}/api/sandbox/advance`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ duration }),
    });
  } catch {
    throw new CliError(`no payrisk server answers at ${server}${running ? ` (pid ${running.pid})` : ''}: start it with \`npm start\` (or pass --server URL)`);
  }
  const body = (await response.json().catch(() => ({}))) as PipelineOutcome & { error?: { message?: string } };
  if (!response.ok) throw new CliError(`the server at ${server} refused: ${body.error?.message ?? `HTTP ${response.status}`}`);
  const synced = Object.entries(body.synced).filter(([, n]) => n > 0).map(([type, n]) => `${n} ${type}`).join(', ');
  console.log(`Sandbox time is now ${body.sandboxNow}.`);
  console.log(`${synced ? `Caught up ${synced}` : 'The ledger was already current (webhooks)'}; ${body.actionsCreated} new action(s), ${body.actionsApplied} applied; ${body.emailsSent} email(s) sent.`);
}
