import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { parseDuration } from './duration';

/** One advance moves the sandbox clock at most two years: longer jumps are several calls. */
export const MAX_ADVANCE_SECONDS = 730 * 86_400;
const tooFar = `expected at most 730d (two years) per call`;

const duration = z
  .string()
  .max(20, 'expected a duration like 7d, 12h, 30m or 3600s')
  .superRefine((text, ctx) => {
    let seconds: number;
    try {
      seconds = parseDuration(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return;
    }
    if (seconds > MAX_ADVANCE_SECONDS) ctx.addIssue({ code: 'custom', message: tooFar });
  })
  .meta({ description: 'how far to move the clock: 7d, 12h, 30m, 3600s, 2w (at most 730d)', example: '7d' });

export class AdvanceSandboxDto extends createZodDto(
  z
    .object({
      duration: duration.optional(),
      seconds: z.int('expected a whole number of seconds').min(0, 'expected 0 or more seconds').max(MAX_ADVANCE_SECONDS, tooFar).optional(),
    })
    .strict()
    .refine((body) => (body.duration === undefined) !== (body.seconds === undefined), {
      message: 'Give {"duration": "7d"} or {"seconds": N}',
      path: ['duration'],
    }),
) {}
