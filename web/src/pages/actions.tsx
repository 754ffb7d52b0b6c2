import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type RowSelectionState } from '@tanstack/react-table';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, unwrap, type Schemas } from '../api/client';
import type { paths } from '../api/schema';
import { actionWhat, AuditTrail, Calculation, KIND_WORDS } from '../components/actions-table';
import { DataState } from '../components/data-state';
import { ScrollRegion } from '../components/data-table';

type Action = Schemas['ActionListDto_Output']['rows'][number];
type Query = NonNullable<paths['/api/dashboard/actions']['get']['parameters']['query']>;
type Decision = 'approve' | 'reject' | 'waive';
const STATUSES = ['proposed', 'approved', 'applied', 'rejected', 'failed', 'waived', 'expired'] as const;

const column = createColumnHelper<Action>();

/** The inbox (proposals waiting for a decision) and the history, filtered by status, kind and client. */
export function ActionsPage() {
  const [params, setParams] = useSearchParams();
  const queryClient = useQueryClient();
  const query: Query = {
    status: (params.get('status') ?? 'proposed') as Query['status'],
    kind: (params.get('kind') || undefined) as Query['kind'],
    customerId: params.get('customerId') || undefined,
  };
  if (params.get('status') === 'all') query.status = undefined;
  const actions = useQuery({ queryKey: ['actions', query], queryFn: async () => unwrap(await api.GET('/api/dashboard/actions', { params: { query } })) });
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [message, setMessage] = useState<string>();
  const decide = useMutation({
    mutationFn: async ({ ids, decision }: { ids: string[]; decision: Decision }) =>
      unwrap(await api.POST('/api/dashboard/actions/decisions', { body: { ids, decision } })),
    onSuccess: (data, { decision }) => {
      const ok = data.results.filter((r) => r.ok).length;
      const failed = data.results.filter((r) => !r.ok);
      setMessage(
        `${decision === 'approve' ? 'Approved' : decision === 'reject' ? 'Rejected' : 'Waived'} ${ok} of ${data.results.length}.${failed.length ? ` Not done: ${failed.map((f) => f.error).join('; ')}` : ''}`,
      );
      setSelection({});
      void queryClient.invalidateQueries();
    },
    onError: (error) => setMessage(error.message),
  });
  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setSelection({});
  };

  const columns = [
    column.display({
      id: 'select',
      header: ({ table }) => (
        <input type="checkbox" aria-label="Select all" checked={table.getIsAllRowsSelected()} onChange={table.getToggleAllRowsSelectedHandler()} />
      ),
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={`Select ${actionWhat(row.original)} for ${row.original.clientName ?? row.original.customerId}`}
          checked={row.getIsSelected()}
          onChange={row.getToggleSelectedHandler()}
        />
      ),
    }),
    column.display({ id: 'what', header: 'What', cell: ({ row }) => actionWhat(row.original) }),
    column.display({
      id: 'client',
      header: 'Client',
      cell: ({ row }) => <Link to={`/clients/${row.original.customerId}`}>{row.original.clientName ?? row.original.customerId}</Link>,
    }),
    column.accessor('why', { header: 'Why' }),
    column.display({ id: 'calculation', header: 'Calculation', cell: ({ row }) => <Calculation rows={row.original.calculation} /> }),
    column.accessor('status', { header: 'Status' }),
    column.display({ id: 'audit', header: 'Audit trail', cell: ({ row }) => <AuditTrail audit={row.original.audit} /> }),
    column.display({
      id: 'decide',
      header: 'Decide',
      cell: ({ row }) => {
        const a = row.original;
        const label = `${actionWhat(a)} for ${a.clientName ?? a.customerId}`;
        return (
          <div className="toolbar">
            {a.status === 'proposed' && (
              <>
                <button
                  type="button"
                  aria-label={`Approve ${label}`}
                  onClick={() => decide.mutate({ ids: [a.id], decision: 'approve' })}
                  disabled={decide.isPending}
                >
                  Approve
                </button>
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Reject ${label}`}
                  onClick={() => decide.mutate({ ids: [a.id], decision: 'reject' })}
                  disabled={decide.isPending}
                >
                  Reject
                </button>
              </>
            )}
            {a.status === 'applied' && a.kind === 'late_fee' && (
              <button
                type="button"
                className="secondary"
                aria-label={`Waive ${label}`}
                onClick={() => decide.mutate({ ids: [a.id], decision: 'waive' })}
                disabled={decide.isPending}
              >
                Waive
              </button>
            )}
          </div>
        );
      },
    }),
  ];
  const table = useReactTable({
    data: actions.data?.rows ?? [],
    columns,
    state: { rowSelection: selection },
    onRowSelectionChange: setSelection,
    getRowId: (row) => row.id,
    enableRowSelection: (row) => row.original.status === 'proposed',
    getCoreRowModel: getCoreRowModel(),
  });
  const selected = Object.keys(selection).filter((id) => selection[id]);

  return (
    <>
      <h1>Actions</h1>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Status{' '}
          <select value={params.get('status') ?? 'proposed'} onChange={(event) => set('status', event.target.value)}>
            <option value="proposed">waiting for a decision</option>
            <option value="all">any</option>
            {STATUSES.filter((s) => s !== 'proposed').map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind{' '}
          <select value={query.kind ?? ''} onChange={(event) => set('kind', event.target.value || undefined)}>
            <option value="">any</option>
            {Object.entries(KIND_WORDS).map(([kind, words]) => (
              <option key={kind} value={kind}>
                {words}
              </option>
            ))}
          </select>
        </label>
        <label>
          Client id{' '}
          <input defaultValue={query.customerId ?? ''} onChange={(event) => set('customerId', event.target.value.trim() || undefined)} placeholder="cus_…" />
        </label>
      </form>
      <div className="toolbar" role="group" aria-label="Selected actions">
        <button type="button" disabled={selected.length === 0 || decide.isPending} onClick={() => decide.mutate({ ids: selected, decision: 'approve' })}>
          Approve selected ({selected.length})
        </button>
        <button
          type="button"
          className="secondary"
          disabled={selected.length === 0 || decide.isPending}
          onClick={() => decide.mutate({ ids: selected, decision: 'reject' })}
        >
          Reject selected ({selected.length})
        </button>
      </div>
      {message && (
        <p role="status" data-testid="decision-message">
          {message}
        </p>
      )}
      <DataState query={actions} isEmpty={(data) => data.rows.length === 0} empty="Nothing here: no action matches.">
        {() => (
          <ScrollRegion>
            <table data-testid="actions-table">
              <thead>
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {group.headers.map((header) => (
                      <th key={header.id} scope="col">
                        {flexRender(header.column.columnDef.header, header.getContext())}
                      </th>
                    ))}
                  </tr>
                ))}
              </thead>
              <tbody>
                {table.getRowModel().rows.map((row) => (
                  <tr key={row.id} data-action={row.original.id}>
                    {row.getVisibleCells().map((cell) => (
                      <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </DataState>
    </>
  );
}
