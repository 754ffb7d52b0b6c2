import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

let csrfToken: string | null = null;
/** The session's CSRF token, sent as X-CSRF-Token on every state-changing request. */
export const setCsrfToken = (token: string | null | undefined) => {
  csrfToken = token ?? null;
};

/** Thrown for any non-2xx answer; `status` 401 sends the page to sign-in. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (csrfToken && request.method !== 'GET' && request.method !== 'HEAD') request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

/** Typed from the server's OpenAPI document (web/src/api/schema.d.ts): a changed endpoint breaks the build. */
export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(csrf);

/** The data of an openapi-fetch answer, or an ApiError with the server's message. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok && result.data !== undefined) return result.data;
  if (result.response.ok) return undefined as T;
  const error = result.error as { error?: { message?: string }; message?: string } | undefined;
  throw new ApiError(result.response.status, error?.error?.message ?? error?.message ?? `The server answered ${result.response.status}`);
}
