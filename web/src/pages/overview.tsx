import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { api, unwrap, type Schemas } from '../api/client';
import { Chart } from '../components/chart';
import { DataState, LevelBadge } from '../components/data-state';
import { DataTable } from '../components/data-table';
import { dateOnly, dateTime, exponent, formatMoney } from '../format';

type Overview = Schemas['OverviewDto_Output'];
const BUCKETS = [
  ['current', 'Not yet due'],
  ['d1_30', '1–30 days'],
  ['d31_60', '31–60 days'],
  ['d61_90', '61–90 days'],
  ['d90plus', 'Over 90 days'],
] as const;

export function OverviewPage() {
  const overview = useQuery({ queryKey: ['overview'], queryFn: async () => unwrap(await api.GET('/api/dashboard/overview')) });
  return (
    <>
      <h1>Overview</h1>
      <DataState query={overview}>{(data) => <OverviewBody data={data} />}</DataState>
    </>
  );
}

function OverviewBody({ data }: { data: Overview }) {
  const agingOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 70, right: 16, top: 16, bottom: 56 },
      xAxis: { type: 'category', data: data.aging.map((row) => row.currency.toUpperCase()) },
      yAxis: { type: 'value', name: 'major units' },
      series: BUCKETS.map(([key, label]) => ({
        name: label,
        type: 'bar',
        stack: 'aging',
        data: data.aging.map((row) => row[key] / 10 ** exponent(row.currency)),
      })),
    }),
    [data.aging],
  );
  const dsoOption = useMemo(() => {
    const months = [...new Set(data.dso.map((row) => row.month))];
    const currencies = [...new Set(data.dso.map((row) => row.currency))];
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 48, right: 16, top: 16, bottom: 56 },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', name: 'days' },
      series: currencies.map((currency) => ({
        name: currency.toUpperCase(),
        type: 'line',
        connectNulls: true,
        data: months.map((month) => data.dso.find((row) => row.month === month && row.currency === currency)?.dso ?? null),
      })),
    };
  }, [data.dso]);

  return (
    <div className="grid">
      <section aria-labelledby="receivables">
        <h2 id="receivables">Receivables</h2>
        {data.receivables.length === 0 ? (
          <p className="state empty">No open invoices.</p>
        ) : (
          <DataTable
            testId="receivables"
            rows={data.receivables}
            rowKey={(row) => row.currency}
            columns={[
              { key: 'currency', header: 'Currency', rowHeader: true, cell: (row) => row.currency.toUpperCase() },
              { key: 'outstanding', header: 'Outstanding', numeric: true, cell: (row) => formatMoney(row.outstanding, row.currency) },
              { key: 'overdue', header: 'Overdue', numeric: true, cell: (row) => formatMoney(row.overdue, row.currency) },
              { key: 'open', header: 'Open invoices', numeric: true, cell: (row) => row.openInvoices },
            ]}
          />
        )}
      </section>

      <section aria-labelledby="approvals">
        <h2 id="approvals">Waiting for you</h2>
        <p className="big">
          <Link to="/actions" data-testid="pending-approvals">
            {data.pendingApprovals} pending approval{data.pendingApprovals === 1 ? '' : 's'}
          </Link>
        </p>
        <h3>Paused clients ({data.paused.count})</h3>
        {data.paused.count === 0 ? (
          <p className="state empty">No client is paused.</p>
        ) : (
          <ul data-testid="paused">
            {data.paused.clients.map((client) => (
              <li key={client.customerId}>
                <Link to={`/clients/${client.customerId}`}>{client.name ?? client.customerId}</Link>
              </li>
            ))}
          </ul>
        )}
        <p className="muted">
          Last sync: {dateTime(data.lastSyncAt)} · Last Stripe event (webhook or catch-up): {dateTime(data.lastEventAt)}
        </p>
      </section>

      <section aria-labelledby="aging" className="wide">
        <h2 id="aging">Aging</h2>
        {data.aging.length === 0 ? (
          <p className="state empty">Nothing is owed.</p>
        ) : (
          <>
            <Chart option={agingOption} label={`Aging of open invoices per currency, stacked by days past due`} />
            <DataTable
              testId="aging"
              rows={data.aging}
              rowKey={(row) => row.currency}
              columns={[
                { key: 'currency', header: 'Currency', rowHeader: true, cell: (row) => row.currency.toUpperCase() },
                ...BUCKETS.map(([key, label]) => ({
                  key,
                  header: label,
                  numeric: true,
                  cell: (row: Overview['aging'][number]) => formatMoney(row[key], row.currency),
                })),
              ]}
            />
          </>
        )}
      </section>

      <section aria-labelledby="dso">
        <h2 id="dso">Days sales outstanding, last 12 months</h2>
        {data.dso.length === 0 ? (
          <p className="state empty">No invoices billed yet.</p>
        ) : (
          <Chart option={dsoOption} label="DSO per month and currency, last 12 months" />
        )}
      </section>

      <section aria-labelledby="levels">
        <h2 id="levels">Clients by level</h2>
        <ul className="levels" data-testid="levels">
          {data.levels.map((row) => (
            <li key={row.level}>
              <Link to={`/clients?level=${row.level}`}>
                <LevelBadge level={row.level} /> <span data-level={row.level}>{row.count}</span>
              </Link>
            </li>
          ))}
        </ul>
        <h3>This week's movers</h3>
        {data.movers.length === 0 ? (
          <p className="state empty">No client changed level this week.</p>
        ) : (
          <ul data-testid="movers">
            {data.movers.map((mover) => (
              <li key={mover.customerId}>
                <Link to={`/clients/${mover.customerId}`}>{mover.name ?? mover.customerId}</Link>: <LevelBadge level={mover.from} /> →{' '}
                <LevelBadge level={mover.to} /> ({dateOnly(mover.changedAt)})
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="expected" className="wide">
        <h2 id="expected">Payments expected in the next {data.expectedPayments.days} days</h2>
        {data.expectedPayments.totals.length === 0 ? (
          <p className="state empty">No payment is expected in the next {data.expectedPayments.days} days.</p>
        ) : (
          <>
            <p data-testid="expected-totals">
              {data.expectedPayments.totals
                .map((t) => `${formatMoney(t.amount, t.currency)} (${t.invoices} invoice${t.invoices === 1 ? '' : 's'})`)
                .join(' · ')}
            </p>
            <DataTable
              testId="expected-payments"
              rows={data.expectedPayments.invoices}
              rowKey={(row) => row.invoiceId}
              columns={[
                { key: 'client', header: 'Client', cell: (row) => <Link to={`/clients/${row.customerId}`}>{row.name ?? row.customerId}</Link> },
                { key: 'invoice', header: 'Invoice', cell: (row) => row.number ?? row.invoiceId },
                { key: 'amount', header: 'Amount', numeric: true, cell: (row) => formatMoney(row.amount.amount, row.amount.currency) },
                { key: 'due', header: 'Due', cell: (row) => row.dueDate },
                { key: 'expected', header: 'Expected', cell: (row) => row.expectedDate },
                { key: 'range', header: 'Range', cell: (row) => `${row.earliest} – ${row.latest}` },
              ]}
            />
          </>
        )}
      </section>
    </div>
  );
}
