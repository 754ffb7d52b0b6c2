import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { isoDay } from '../../common/http';
import { REPORT_NAMES } from '../domain/report-table';

export const HTTP_FORMATS = ['json', 'csv', 'xlsx'] as const;

/** The report's name is checked by the controller (an unknown report is a 404, not a 400). */
export class ReportParamsDto extends createZodDto(
  z
    .object({
      report: z
        .string()
        .regex(/^[a-z_]{1,40}$/, `expected one of ${REPORT_NAMES.join(', ')}`)
        .meta({ enum: [...REPORT_NAMES] }),
    })
    .strict(),
) {}

export class ReportQueryDto extends createZodDto(
  z
    .object({
      asOf: isoDay.meta({ description: 'YYYY-MM-DD; as things stood at the end of that day (UTC); default today' }).optional(),
      from: isoDay.meta({ description: 'YYYY-MM-DD, first day of the period; default 90 days before to' }).optional(),
      to: isoDay.meta({ description: 'YYYY-MM-DD, last day of the period (not after asOf); default asOf' }).optional(),
      format: z.enum(HTTP_FORMATS, { error: `expected one of ${HTTP_FORMATS.join(', ')}` }).default('json'),
    })
    .strict(),
) {}
