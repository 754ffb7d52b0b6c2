import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { NavLink, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { Chart } from '../components/chart';
import { DataState } from '../components/data-state';
import { DataTable } from '../components/data-table';

const REPORTS = { aging: 'Aging', dso: 'DSO', behaviour: 'Payment behaviour', fees: 'Late fees', discounts: 'Discounts' } as const;
type Report = {
  report: string;
  title: string;
  asOf: string;
  from: string;
  to: string;
  columns: { key: string; header: string; type: string }[];
  rows: Record<string, string | number | null>[];
};

/** GET /api/reports/:name answers JSON, CSV or XLSX; its JSON has no response schema, so this page names its shape. */
async function fetchReport(name: string, search: URLSearchParams): Promise<Report> {
  const response = await fetch(`/api/reports/${name}?${search.toString()}`, { credentials: 'same-origin' });
  const body = (await response.json().catch(() => ({}))) as Report & { error?: { message?: string } };
  if (!response.ok) throw new ApiError(response.status, body.error?.message ?? `The server answered ${response.status}`);
  return body;
}

export function ReportsPage() {
  const { name = 'aging' } = useParams();
  const [params, setParams] = useSearchParams();
  const search = new URLSearchParams();
  for (const key of ['asOf', 'from', 'to']) if (params.get(key)) search.set(key, params.get(key) as string);
  const report = useQuery({ queryKey: ['report', name, search.toString()], queryFn: () => fetchReport(name, search) });
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const download = (format: 'csv' | 'xlsx') => `/api/reports/${name}?${new URLSearchParams([...search.entries(), ['format', format]]).toString()}`;

  return (
    <>
      <h1>{REPORTS[name as keyof typeof REPORTS] ?? name} report</h1>
      <nav aria-label="Reports" className="toolbar">
        {Object.entries(REPORTS).map(([key, label]) => (
          <NavLink key={key} to={`/reports/${key}?${search.toString()}`}>
            {label}
          </NavLink>
        ))}
      </nav>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          As of
          <input type="date" value={params.get('asOf') ?? ''} onChange={(e) => set('asOf', e.target.value)} />
        </label>
        <label>
          Period from
          <input type="date" value={params.get('from') ?? ''} onChange={(e) => set('from', e.target.value)} />
        </label>
        <label>
          to
          <input type="date" value={params.get('to') ?? ''} onChange={(e) => set('to', e.target.value)} />
        </label>
        <a href={download('csv')} download>
          Download CSV
        </a>
        <a href={download('xlsx')} download>
          Download XLSX
        </a>
      </form>
      <DataState query={report} isEmpty={(data) => data.rows.length === 0} empty="No rows for this date and period.">
        {(data) => <ReportBody data={data} />}
      </DataState>
    </>
  );
}

function ReportBody({ data }: { data: Report }) {
  const totals = data.rows.filter((row) => String(row.row_type ?? '').startsWith('total'));
  const moneyColumns = data.columns.filter((c) => c.type === 'money' && !c.key.startsWith('total'));
  const option = useMemo(
    () =>
      totals.length === 0 || moneyColumns.length === 0
        ? undefined
        : {
            tooltip: { trigger: 'axis' },
            legend: { bottom: 0 },
            grid: { left: 70, right: 16, top: 16, bottom: 56 },
            xAxis: { type: 'category', data: totals.map((row) => String(row.currency ?? '').toUpperCase()) },
            yAxis: { type: 'value', name: 'major units' },
            series: moneyColumns.map((c) => ({
              name: c.header,
              type: 'bar',
              stack: data.report === 'aging' ? 'total' : undefined,
              data: totals.map((row) => Number(row[c.key] ?? 0)),
            })),
          },
    [totals, moneyColumns, data.report],
  );
  return (
    <>
      <p className="muted" data-testid="report-dates">
        As of {data.asOf}; period {data.from} to {data.to}. Amounts in each row's currency.
      </p>
      {option && <Chart option={option} label={`${data.title}: totals per currency`} />}
      <DataTable
        testId="report-table"
        rows={data.rows}
        rowKey={(_, index) => index}
        rowProps={(row) => ({ className: String(row.row_type ?? '').startsWith('total') ? 'total' : undefined })}
        columns={data.columns.map((c) => ({
          key: c.key,
          header: c.header,
          numeric: c.type === 'money' || c.type === 'count',
          cell: (row: Report['rows'][number]) => row[c.key] ?? '',
        }))}
      />
    </>
  );
}
