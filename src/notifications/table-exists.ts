import type { EntityManager } from 'typeorm';
import { PAYRISK_SCHEMA } from '../database/data-source-options';

/** Other features' tables may not exist yet (they are built in parallel); sections that need them say "no data yet". */
export async function tableExists(manager: Pick<EntityManager, 'query'>, table: string): Promise<boolean> {
  const [row] = (await manager.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [`${PAYRISK_SCHEMA}.${table}`])) as { present: boolean }[];
  return row.present;
}
