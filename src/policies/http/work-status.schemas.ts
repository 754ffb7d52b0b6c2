import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { customerId } from '../../common/http';

export class WorkStatusParamsDto extends createZodDto(z.object({ id: customerId }).strict()) {}
