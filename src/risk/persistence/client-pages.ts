import type { DataSource } from 'typeorm';

/**
 * Every live client id in pages of `pageSize`, by keyset on the primary key: memory stays
 * bounded by one page however many clients there are, and no page is skipped or repeated
 * when clients are added meanwhile.
 */
export async function* allClientIdPages(dataSource: DataSource, pageSize: number): AsyncGenerator<string[]> {
  let after: string | null = null;
  for (;;) {
    const rows: { id: string }[] = await dataSource.query(`SELECT id FROM clients WHERE NOT deleted AND ($1::text IS NULL OR id > $1) ORDER BY id LIMIT $2`, [
      after,
      pageSize,
    ]);
    if (rows.length === 0) return;
    yield rows.map((row) => row.id);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].id;
  }
}

/** A known list of ids in pages of `pageSize`. */
export async function* idPages(ids: string[], pageSize: number): AsyncGenerator<string[]> {
  for (let start = 0; start < ids.length; start += pageSize) yield ids.slice(start, start + pageSize);
}
