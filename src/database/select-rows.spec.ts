import { z } from 'zod';
import { column, RowShapeError, selectOne, selectRows } from './select-rows';

/** node-postgres' answers as TypeORM passes them on: rows for a select, `[rows, count]` for UPDATE/DELETE … RETURNING. */
const answering = (raw: unknown) => ({ query: () => Promise.resolve(raw) });
const row = z.object({ id: column.text, amount: column.bigint, paid_at: column.timestamp.nullable() });

describe('selectRows', () => {
  it('returns the rows checked against their schema, extra columns dropped', async () => {
    const at = new Date('2026-01-02T00:00:00Z');
    const rows = await selectRows(answering([{ id: 'in_1', amount: '1200', paid_at: at, extra: 1 }]), 'SELECT …', [], row);
    expect(rows).toEqual([{ id: 'in_1', amount: '1200', paid_at: at }]);
  });

  it('reads the rows of UPDATE … RETURNING out of [rows, count]', async () => {
    const rows = await selectRows(answering([[{ id: 'in_1', amount: '5', paid_at: null }], 1]), 'UPDATE …', [], row);
    expect(rows).toEqual([{ id: 'in_1', amount: '5', paid_at: null }]);
  });

  it('fails naming the query and the column when a row does not match', async () => {
    const wrong = selectRows(answering([{ id: 'in_1', amount: 12.5, paid_at: null }]), 'SELECT id, amount FROM invoices\nWHERE …', [], row);
    await expect(wrong).rejects.toThrow(RowShapeError);
    await expect(wrong).rejects.toThrow(/SELECT id, amount FROM invoices.*amount/s);
  });

  it('selectOne gives the first row, or undefined for none', async () => {
    await expect(selectOne(answering([]), 'SELECT …', [], row)).resolves.toBeUndefined();
    await expect(
      selectOne(
        answering([
          { id: 'a', amount: '1', paid_at: null },
          { id: 'b', amount: '2', paid_at: null },
        ]),
        'SELECT …',
        [],
        row,
      ),
    ).resolves.toEqual({
      id: 'a',
      amount: '1',
      paid_at: null,
    });
  });
});
