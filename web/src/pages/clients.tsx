import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type SortingState } from '@tanstack/react-table';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, unwrap, type Schemas } from '../api/client';
import type { paths } from '../api/schema';
import { DataState, LevelBadge } from '../components/data-state';
import { ScrollRegion } from '../components/data-table';
import { FLAG_WORDS, formatMoneyList, LEVELS, percent } from '../format';

type Row = Schemas['ClientPageDto_Output']['rows'][number];
type Query = paths['/api/dashboard/clients']['get']['parameters']['query'];
type Sort = NonNullable<NonNullable<Query>['sort']>;
const PAGE_SIZE = 50;

const column = createColumnHelper<Row>();
const columns = [
  column.accessor('name', {
    id: 'name',
    header: 'Client',
    cell: (info) => <Link to={`/clients/${info.row.original.customerId}`}>{info.getValue() ?? info.row.original.customerId}</Link>,
  }),
  column.accessor('level', { id: 'level', header: 'Level', cell: (info) => <LevelBadge level={info.getValue()} /> }),
  column.accessor('score', { id: 'score', header: 'Score' }),
  column.accessor('flags', {
    id: 'flags',
    header: 'Flags',
    enableSorting: false,
    cell: (info) =>
      info.getValue().length === 0
        ? '—'
        : info
            .getValue()
            .map((flag) => FLAG_WORDS[flag] ?? flag)
            .join('; '),
  }),
  column.accessor('arrears', { id: 'arrears', header: 'Arrears', cell: (info) => formatMoneyList(info.getValue()) }),
  column.accessor('oldestDaysPastDue', { id: 'oldestDaysPastDue', header: 'Oldest days past due' }),
  column.accessor('lateShare', { id: 'lateShare', header: 'Late share', cell: (info) => percent(info.getValue()) }),
  column.accessor('medianDaysLate', { id: 'medianDaysLate', header: 'Median days late' }),
  column.accessor('discountShare', { id: 'discountShare', header: 'Discount share', cell: (info) => percent(info.getValue()) }),
  column.accessor('workStatus', { id: 'workStatus', header: 'Work' }),
];

export function ClientsPage() {
  const [params, setParams] = useSearchParams();
  const query = {
    level: (params.get('level') ?? undefined) as NonNullable<Query>['level'],
    flag: (params.get('flag') ?? undefined) as NonNullable<Query>['flag'],
    q: params.get('q') || undefined,
    sort: (params.get('sort') ?? 'score') as Sort,
    dir: (params.get('dir') ?? 'desc') as 'asc' | 'desc',
    page: Number(params.get('page') ?? '1'),
    pageSize: PAGE_SIZE,
  };
  const clients = useQuery({
    queryKey: ['clients', query],
    queryFn: async () => unwrap(await api.GET('/api/dashboard/clients', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };
  const sorting: SortingState = useMemo(() => [{ id: query.sort, desc: query.dir === 'desc' }], [query.sort, query.dir]);
  const table = useReactTable({
    data: clients.data?.rows ?? [],
    columns,
    manualSorting: true,
    manualPagination: true,
    state: { sorting },
    getCoreRowModel: getCoreRowModel(),
  });
  const pages = clients.data ? Math.max(1, Math.ceil(clients.data.total / PAGE_SIZE)) : 1;

  return (
    <>
      <h1>Clients</h1>
      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <label>
          Level{' '}
          <select value={query.level ?? ''} onChange={(event) => update({ level: event.target.value || undefined })}>
            <option value="">any</option>
            {LEVELS.map((level) => (
              <option key={level} value={level}>
                {level}
              </option>
            ))}
          </select>
        </label>
        <label>
          Flag{' '}
          <select value={query.flag ?? ''} onChange={(event) => update({ flag: event.target.value || undefined })}>
            <option value="">any</option>
            {Object.entries(FLAG_WORDS).map(([flag, words]) => (
              <option key={flag} value={flag}>
                {words}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name{' '}
          <input
            type="search"
            defaultValue={query.q ?? ''}
            onChange={(event) => update({ q: event.target.value.trim() || undefined })}
            placeholder="name, email or cus_…"
          />
        </label>
      </form>
      <DataState query={clients} isEmpty={(data) => data.total === 0} empty="No client matches (or none has been assessed yet).">
        {(data) => (
          <>
            <p className="muted" role="status" data-testid="client-total">
              {data.total} client{data.total === 1 ? '' : 's'}
            </p>
            <ScrollRegion>
              <table className="clients" data-testid="clients-table">
                <thead>
                  {table.getHeaderGroups().map((group) => (
                    <tr key={group.id}>
                      {group.headers.map((header) => {
                        const sortable = header.column.getCanSort();
                        const active = query.sort === header.column.id;
                        const label = flexRender(header.column.columnDef.header, header.getContext());
                        return (
                          <th key={header.id} scope="col" aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                            {sortable ? (
                              <button
                                type="button"
                                className="sort"
                                onClick={() => update({ sort: header.column.id, dir: active && query.dir === 'desc' ? 'asc' : 'desc' })}
                              >
                                {label}
                                {active ? (query.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                              </button>
                            ) : (
                              label
                            )}
                          </th>
                        );
                      })}
                    </tr>
                  ))}
                </thead>
                <tbody>
                  {table.getRowModel().rows.map((row) => (
                    <tr key={row.id} data-customer={row.original.customerId}>
                      {row.getVisibleCells().map((cell) => (
                        <td key={cell.id} data-column={cell.column.id}>
                          {flexRender(cell.column.columnDef.cell, cell.getContext())}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
            <nav className="pager" aria-label="Pages">
              <button type="button" disabled={query.page <= 1} onClick={() => update({ page: String(query.page - 1) })}>
                Previous
              </button>
              <span>
                Page {query.page} of {pages}
              </span>
              <button type="button" disabled={query.page >= pages} onClick={() => update({ page: String(query.page + 1) })}>
                Next
              </button>
            </nav>
          </>
        )}
      </DataState>
    </>
  );
}
