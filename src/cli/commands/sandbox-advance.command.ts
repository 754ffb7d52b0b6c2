import { resolveApiToken } from '../../auth/resolve-api-token';
import type { AppConfig } from '../../config';
import type { PipelineOutcome } from '../../demo/sandbox-pipeline.service';

/**
 * `payrisk sandbox advance 7d`: moves the clock of the sandbox inside a running
 * `payrisk start` (through its API, with the same token), which then syncs, detects,
 * applies the policies and sends the emails.
 */
export async function sandboxAdvanceCommand(config: AppConfig, duration: string, options: { server?: string }): Promise<void> {
  const server = (options.server ?? `http://127.0.0.1:${config.port}`).replace(/\/+$/, '');
  const { token } = resolveApiToken(config);
  let response: Response;
  try {
    response = await fetch(`${server}/api/sandbox/advance`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ duration }),
    });
  } catch {
    throw new Error(`no payrisk server answers at ${server}: start it with "npm start" (or pass --server URL)`);
  }
  const body = (await response.json().catch(() => ({}))) as PipelineOutcome & { error?: { message?: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `the server answered ${response.status}`);
  const synced = Object.entries(body.synced).filter(([, n]) => n > 0).map(([type, n]) => `${n} ${type}`).join(', ');
  console.log(`Sandbox time is now ${body.sandboxNow}.`);
  console.log(`${synced ? `Caught up ${synced}` : 'The ledger was already current (webhooks)'}; ${body.actionsCreated} new action(s), ${body.actionsApplied} applied; ${body.emailsSent} email(s) sent.`);
}
