import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * The Content-Security-Policy of every page payrisk serves (approval pages, the dashboard,
 * the API docs): only payrisk's own scripts, styles, images and API; no inline script, no
 * plugins, no framing by anyone (`frame-ancestors 'none'`), forms post only to payrisk.
 * Pages with an inline `<style>` allow exactly that style by its hash (`styleHash`).
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'manifest-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'object-src': ["'none'"],
};

/** A CSP source allowing one exact inline `<style>` (or script) body. */
export const styleHash = (content: string): string => `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;

/** The policy as a header value, with extra sources added to some directives (e.g. `{ 'style-src': [styleHash(css)] }`). */
export function contentSecurityPolicy(extra: Partial<Record<keyof typeof CSP_DIRECTIVES | string, string[]>> = {}): string {
  const merged: Record<string, string[]> = Object.fromEntries(Object.entries(CSP_DIRECTIVES).map(([name, sources]) => [name, [...sources]]));
  for (const [name, sources] of Object.entries(extra)) merged[name] = [...(merged[name] ?? []), ...(sources ?? [])];
  return Object.entries(merged)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/**
 * Helmet's headers on every response, the CSP above on every one of them. Swagger UI at
 * /api/docs keeps its scripts from 'self' but styles itself with inline `<style>` and
 * `style=` attributes, so there (and only there) styles may be inline.
 */
export function securityHeaders(): RequestHandler {
  const strict = contentSecurityPolicy();
  const docs = contentSecurityPolicy({ 'style-src': ["'unsafe-inline'"] });
  const headers = helmet({
    // helmet's own CSP is replaced by ours (set below), so the policy has one definition.
    contentSecurityPolicy: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  return (req, res, next) => {
    res.setHeader('Content-Security-Policy', req.path === '/api/docs' || req.path.startsWith('/api/docs/') ? docs : strict);
    headers(req, res, next);
  };
}

/**
 * The headers securityHeaders() sets on a strict-CSP response, as name → value: helmet's are
 * the same on every response, so a listener outside Express (the webhook route) sends these.
 */
export function securityHeaderValues(): Record<string, string> {
  const recorded: Record<string, string> = {};
  const response = { setHeader: (name: string, value: unknown) => void (recorded[name] = String(value)), removeHeader: () => undefined };
  securityHeaders()({ path: '/' } as Request, response as unknown as Response, () => undefined);
  return recorded;
}
