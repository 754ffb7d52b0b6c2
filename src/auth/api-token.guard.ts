import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { DomainError } from '../common/errors';
import { CSRF_HEADER, readCookie, SESSION_COOKIE, WebSession, WebSessionService } from '../web-session/web-session.service';
import { IS_PUBLIC } from './public.decorator';

export const API_TOKEN = Symbol('API_TOKEN');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Every route except those marked @Public() needs one of:
 * - the bearer `API_TOKEN` (scripts), or
 * - the dashboard's session cookie (people); a state-changing request must also carry the
 *   session's CSRF token in `X-CSRF-Token` (a cross-site form or fetch cannot read it).
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_TOKEN) private readonly token: string,
    private readonly sessions: WebSessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<Request & { webSession?: WebSession }>();
    const header = request.headers.authorization;
    if (header) {
      const presented = /^Bearer\s+(.+)$/i.exec(header)?.[1] ?? '';
      if (sameSecret(presented, this.token)) return true;
      throw new DomainError('unauthorized', 'Missing or wrong bearer token: send "Authorization: Bearer <API_TOKEN>"');
    }
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!cookie) throw new DomainError('unauthorized', 'Missing or wrong bearer token: send "Authorization: Bearer <API_TOKEN>" (or sign in to the dashboard)');
    const session = await this.sessions.find(cookie);
    if (!session) throw new DomainError('unauthorized', 'Your dashboard session has ended: sign in again');
    if (!SAFE_METHODS.has(request.method)) {
      const csrf = request.headers[CSRF_HEADER];
      if (typeof csrf !== 'string' || !sameSecret(csrf, session.csrfToken))
        throw new DomainError('forbidden', 'Missing or wrong X-CSRF-Token header for this session');
    }
    request.webSession = session;
    return true;
  }
}
