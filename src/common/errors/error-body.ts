/**
 * The one shape of every error payrisk answers over HTTP, whoever produces it (domain
 * errors, the validation layer, the body parsers):
 * `{ error: { code, message, details } }`; a validation error's details carry `field` and
 * `issues: [{ path, message }]`.
 */
export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

export const errorBody = (code: string, message: string, details: Record<string, unknown> = {}): ErrorBody => ({ error: { code, message, details } });
