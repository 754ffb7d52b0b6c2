import { resolveApiToken } from '../../auth/resolve-api-token';
import type { AppConfig } from '../../config';
import { readLiveRuntime } from '../../runtime/runtime-file';
import { CliError } from '../cli-error';

/**
 * `payrisk login-link`: a fresh one-time sign-in link for the dashboard of the running
 * `payrisk start`, asked from the server itself (its API, with the same bearer token), so the
 * code lands in the database that server reads. The server is found through
 * `<home>/runtime.json` (no PORT needed), or --server URL. Prints the link alone on stdout.
 */
export async function loginLinkCommand(config: AppConfig, options: { server?: string }): Promise<void> {
  const server = (options.server ?? readLiveRuntime(config.homeDir)?.http.url ?? `http://127.0.0.1:${config.port}`).replace(/\/+$/, '');
  const { token } = resolveApiToken(config);
  let response: Response;
  try {
    response = await fetch(`${server}/api/session/links`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  } catch {
    throw new CliError(`no payrisk server answers at ${server}: start it with "npm start" (or pass --server URL)`);
  }
  const body = (await response.json().catch(() => ({}))) as { url?: string; expiresAt?: string; error?: { message?: string } };
  if (!response.ok || !body.url) throw new CliError(body.error?.message ?? `the server answered ${response.status}`);
  console.log(body.url);
  console.error(`One use, until ${body.expiresAt}.`);
}
