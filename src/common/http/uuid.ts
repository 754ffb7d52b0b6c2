import { z } from 'zod';

/** An id PostgreSQL stores as `uuid` (actions): 8-4-4-4-12 hex digits, any version. */
export const uuidId = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'expected a UUID like 3f2b8c1e-4d5a-4b6c-9d7e-8f9a0b1c2d3e')
  .meta({ description: 'UUID', example: '3f2b8c1e-4d5a-4b6c-9d7e-8f9a0b1c2d3e' });
