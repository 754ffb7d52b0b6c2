import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { customerId, uuidId } from '../../common/http';

export const STATUSES = ['proposed', 'approved', 'applied', 'rejected', 'failed', 'waived', 'expired'] as const;
export const KINDS = ['late_fee', 'work_pause', 'work_resume', 'price_increase'] as const;

export class ActionListQueryDto extends createZodDto(
  z
    .object({
      status: z.enum(STATUSES, { error: `expected one of ${STATUSES.join(', ')}` }).optional(),
      kind: z.enum(KINDS, { error: `expected one of ${KINDS.join(', ')}` }).optional(),
      customerId: customerId.optional(),
    })
    .strict(),
) {}

export class ActionIdParamsDto extends createZodDto(z.object({ id: uuidId }).strict()) {}
