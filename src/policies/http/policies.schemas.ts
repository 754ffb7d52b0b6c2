import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { queryBoolean } from '../../common/http';

/** `dryRun` is exactly `true` or `false`: `TRUE`, `yes`, `dryRun[]=true` or `dry-run=true` are 400s, never a real run. */
export class PolicyRunQueryDto extends createZodDto(z.object({ dryRun: queryBoolean.optional() }).strict()) {}
