import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { createZodValidationPipe } from 'nestjs-zod';
import type { ZodError } from 'zod';
import { invalidInputIssues, issuesOf } from './validation-error';

const ZodPipe = createZodValidationPipe({ createValidationException: (error) => invalidInputIssues(issuesOf(error as ZodError)) });

/**
 * The one validation layer at the HTTP edge (registered once in createApp): every `@Body()`,
 * `@Query()` and `@Param()` must be typed with a `createZodDto` class; its schema parses the
 * input, and a failure is a 400 naming each field. A handler parameter without a schema is a
 * programming error, refused loudly instead of letting raw input through.
 */
@Injectable()
export class HttpValidationPipe extends ZodPipe implements PipeTransform {
  override transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const { metatype, type, data } = metadata;
    const isDto = Boolean(metatype && 'isZodDto' in metatype && (metatype as { isZodDto?: boolean }).isZodDto);
    if (!isDto && (type === 'body' || type === 'query' || type === 'param')) {
      throw new Error(
        `@${type[0].toUpperCase()}${type.slice(1)}(${data ? `'${data}'` : ''}) has no zod schema: type it with a createZodDto class (see src/common/http)`,
      );
    }
    return super.transform(value, metadata);
  }
}
