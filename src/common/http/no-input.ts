import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { invalidInputIssues, issuesOf } from './validation-error';

const noKeys = z.object({}).strict();

/**
 * For routes that take no query parameters: any key (a typo such as `dry-run`) is a 400.
 * A decorator rather than a DTO because an empty object documents no parameter in OpenAPI.
 */
export const NoQuery = createParamDecorator((_data: unknown, context: ExecutionContext): Record<string, never> => {
  const parsed = noKeys.safeParse(context.switchToHttp().getRequest<Request>().query ?? {});
  if (!parsed.success) throw invalidInputIssues(issuesOf(parsed.error));
  return {};
});
