import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { DomainError } from '../common/errors';
import { IS_PUBLIC } from './public.decorator';

export const API_TOKEN = Symbol('API_TOKEN');

/** Bearer `API_TOKEN` on every route except those marked @Public(). */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_TOKEN) private readonly token: string,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const presented = /^Bearer\s+(.+)$/i.exec(header)?.[1] ?? '';
    const expected = Buffer.from(this.token);
    const given = Buffer.from(presented);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
    throw new DomainError('unauthorized', 'Missing or wrong bearer token: send "Authorization: Bearer <API_TOKEN>"');
  }
}
